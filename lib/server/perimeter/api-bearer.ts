import 'server-only';

const API_V1_PREFIX = '/api/v1/';
const OPENAPI_PATH = '/api/v1/openapi.json';

/**
 * A pipeline's call to /api/v1 with `Authorization: Bearer`. It needs neither the sign-in
 * cookie nor the studio header: it is not a browser's request, and no browser attaches an
 * Authorization header to a cross-site request without a CORS grant (this server gives none),
 * so a page elsewhere cannot forge one. The token itself is checked by getContext(), in the
 * route, with the same 401 as any wrong token.
 */
export function isBearerApiRequest(pathname: string, headers: Headers): boolean {
  return pathname.startsWith(API_V1_PREFIX) && /^Bearer\s+\S/i.test(headers.get('authorization') ?? '');
}

/** The API's description is public: a pipeline's author reads it before having a token. */
export function isPublicApiPath(pathname: string, method: string): boolean {
  return pathname === OPENAPI_PATH && (method === 'GET' || method === 'HEAD');
}
