/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native modules stay outside the server bundle (loaded from node_modules at run time).
  serverExternalPackages: ['better-sqlite3', 'sharp', '@prisma/adapter-better-sqlite3'],
  poweredByHeader: false,
  // `npm run dev` is often opened as 127.0.0.1 as well as localhost; both are this machine.
  allowedDevOrigins: ['127.0.0.1'],
  // Keep the dev badge off the sidebar's links.
  devIndicators: { position: 'bottom-right' },
  // The test build writes to its own folder so `npm test` never clobbers a dev server's .next.
  distDir: process.env.NEXT_DIST_DIR || '.next',
};

export default nextConfig;
