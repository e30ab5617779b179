import 'server-only';

/** Sent with every response, pages, routes and files alike. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** A fresh nonce per page request: Next.js puts it on its own inline scripts. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
}

type PageCspOptions = { nonce: string; dev: boolean; https: boolean };

/**
 * The pages' policy. Scripts need the nonce ('strict-dynamic' lets Next's chunks load theirs);
 * styles allow inline attributes because React renders style props into the HTML; images come
 * from the studio's own asset routes, data: and blob: (previews of files being uploaded).
 * In development React needs eval for its error overlays.
 */
export function pageCsp({ nonce, dev, https }: PageCspOptions): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** Routes and files (JSON, images) render nothing active: nothing may load or run in them. */
export const RESOURCE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox";
