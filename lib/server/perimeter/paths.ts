import 'server-only';

export const SIGN_IN_PATH = '/sign-in';

/** Reachable without a session: the way in, readiness, signed vendor URLs, vendor callbacks, and static files. */
export function isPublicPath(pathname: string): boolean {
  return (
    pathname === SIGN_IN_PATH ||
    pathname === '/api/auth/sign-in' ||
    pathname === '/api/auth/sign-out' ||
    isMachineFacingPath(pathname) ||
    isReviewPath(pathname) ||
    pathname.startsWith('/_next/static/') ||
    pathname === '/icon.svg' ||
    pathname === '/favicon.ico'
  );
}

/**
 * Share-link review pages and their images/writes: no studio session, the token in the path
 * is the credential (lib/server/review resolves it to a viewer of one gallery). Not
 * machine-facing: reviewers from another device need the studio opened with ACCESS_TOKEN.
 */
export function isReviewPath(pathname: string): boolean {
  return pathname.startsWith('/r/') || pathname.startsWith('/api/review/');
}

/** Reachable through a non-loopback Host when no sign-in is configured: nothing of the studio. */
export function isMachineFacingPath(pathname: string): boolean {
  return pathname === '/api/health' || pathname === '/api/ready' || pathname.startsWith('/api/inputs/') || isWebhookPath(pathname);
}

/** Vendor callbacks (app/api/webhooks): no session, no browser; each proves itself (lib/server/webhooks). */
export function isWebhookPath(pathname: string): boolean {
  return pathname.startsWith('/api/webhooks/');
}

export function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

/** Where to return after signing in: a path of this site only (never `//other.site`). */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || value.length > 2000 || !value.startsWith('/') || value[1] === '/') return '/';
  // Browsers drop tabs and newlines and read a backslash as `/`: `/<tab>/x` and `/\x` would leave the site.
  for (const ch of value) if (ch === '\\' || ch <= ' ' || ch === '\u007f') return '/';
  if (value === SIGN_IN_PATH || value.startsWith(`${SIGN_IN_PATH}?`)) return '/';
  return value;
}
