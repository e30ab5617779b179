/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native modules stay outside the server bundle (loaded from node_modules at run time), and the
  // AWS SDK helpers with them (Next already keeps @aws-sdk/client-s3 out; one copy of the SDK).
  serverExternalPackages: [
    'better-sqlite3',
    'sharp',
    '@prisma/adapter-better-sqlite3',
    '@aws-sdk/lib-storage',
    '@aws-sdk/s3-request-presigner',
    // The Postgres job queue (lib/server/jobs/queue.ts): loaded from node_modules, not bundled.
    'pg-boss',
  ],
  poweredByHeader: false,
  // `npm run dev` is often opened as 127.0.0.1 as well as localhost; both are this machine.
  allowedDevOrigins: ['127.0.0.1'],
  // Keep the dev badge off the sidebar's links.
  devIndicators: { position: 'bottom-right' },
  // The test build writes to its own folder so `npm test` never clobbers a dev server's .next.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // The same as proxy.ts sets (lib/server/perimeter/headers.ts), for anything it does not
  // reach; the page policy with its nonce comes from proxy.ts alone.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default nextConfig;
