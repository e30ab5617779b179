import 'server-only';

/** The header the studio's own fetches carry; a cross-site page cannot send it without a CORS grant. */
const CLIENT_HEADER = 'x-proofsheet';

export const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `same`: the studio's own page; `unknown`: no browser signal at all (a script); else refused. */
export type OriginVerdict = { kind: 'same' } | { kind: 'unknown' } | { kind: 'cross'; reason: string };

/**
 * Where a state-changing request comes from. Sec-Fetch-Site, when the browser sends it, must say
 * same-origin (or none: typed by the user); Origin, when sent, must be this server's own origin
 * (the Host it was asked for, or PUBLIC_BASE_URL). A browser always sends at least one of them
 * with a form or fetch POST, so a request with neither is not a page's: `unknown`. Host itself
 * has passed the allow-list before this runs.
 */
export function checkSameOrigin(headers: Headers, publicOrigin: string | undefined): OriginVerdict {
  const site = headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return { kind: 'cross', reason: `Sec-Fetch-Site is ${site}` };
  const origin = headers.get('origin');
  if (origin === null) return site ? { kind: 'same' } : { kind: 'unknown' };
  if (origin === 'null') return { kind: 'cross', reason: 'Origin is null' };
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return { kind: 'cross', reason: 'Origin is not a URL' };
  }
  if (publicOrigin && parsed.origin === publicOrigin) return { kind: 'same' };
  const hosts = [headers.get('host'), headers.get('x-forwarded-host')].filter((h): h is string => !!h).map((h) => h.trim().toLowerCase());
  return hosts.includes(parsed.host) ? { kind: 'same' } : { kind: 'cross', reason: 'Origin is another site' };
}

/** Fetch-based API routes must also carry the studio's header (`X-Proofsheet: 1`). */
export function hasClientHeader(headers: Headers): boolean {
  return headers.get(CLIENT_HEADER) === '1';
}
