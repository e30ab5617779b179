import 'server-only';
import { NextResponse, type NextRequest } from 'next/server';
import { APP_ERROR_STATUS, type AppErrorCode } from '@/lib/schemas/errors';
import { isDevelopment } from '../env';
import { isBearerApiRequest, isPublicApiPath } from './api-bearer';
import { accessRequired, perimeterConfig, type PerimeterConfig } from './config';
import { BASE_SECURITY_HEADERS, newNonce, pageCsp, RESOURCE_CSP } from './headers';
import { hostnameOf, interfaceHostnames, isLoopbackHostname } from './hosts';
import { isApiPath, isMachineFacingPath, isPublicPath, isReviewPath, isWebhookPath, safeNextPath, SIGN_IN_PATH } from './paths';
import { checkSameOrigin, hasClientHeader, UNSAFE_METHODS } from './same-origin';
import { sessionFromCookieHeader, verifySessionValue } from './session';

type GuardOptions = { config?: PerimeterConfig; dev?: boolean; now?: number };

/**
 * The perimeter, run by proxy.ts before every request: the Host allow-list (DNS rebinding),
 * same-origin for anything that changes state (CSRF), the session when sign-in is on, and the
 * security headers. Route handlers and actions check the session again through getContext().
 */
export function guardRequest(request: NextRequest, options: GuardOptions = {}): NextResponse {
  const url = request.nextUrl;
  const response = refusal(request.method, url, request.headers, options) ?? pass(request, url.pathname, options.dev ?? isDevelopment());
  // A share token is in these paths: they send no Referer at all, not even to the studio itself.
  if (isReviewPath(url.pathname)) response.headers.set('Referrer-Policy', 'no-referrer');
  return response;
}

/**
 * The same checks for a route handler that proxy.ts does not cover: a route that must refuse
 * before reading its body (Next.js drains and buffers the body of every request its proxy
 * runs for). Call it first thing; undefined means go on.
 */
export function perimeterRefusal(request: Request, options: GuardOptions = {}): Response | undefined {
  return refusal(request.method, new URL(request.url), request.headers, options);
}

function refusal(method: string, url: URL, headers: Headers, options: GuardOptions): NextResponse | undefined {
  const { pathname, searchParams } = url;
  const config = options.config ?? perimeterConfig();
  const api = isApiPath(pathname) || headers.has('next-action');

  const hostVerdict = checkHosts(headers, config);
  if (hostVerdict === 'foreign') return misdirected();
  // Without a secret the studio is this machine's alone: another name reaches vendor URLs only.
  if (hostVerdict === 'remote' && !accessRequired(config) && !isMachineFacingPath(pathname)) {
    return refuse(
      api,
      'forbidden',
      'This studio has no ACCESS_TOKEN, so it answers only on this machine (localhost). Set ACCESS_TOKEN to use it from elsewhere.',
    );
  }

  if (isBearerApiRequest(pathname, headers) || isPublicApiPath(pathname, method)) return undefined;

  // A vendor's callback has no Origin and no studio header; it proves itself by signature instead.
  if (UNSAFE_METHODS.has(method) && !isWebhookPath(pathname)) {
    const origin = checkSameOrigin(headers, config.publicOrigin);
    if (origin.kind === 'cross') return refuse(api, 'forbidden', 'Cross-site requests are not accepted.');
    if (isApiPath(pathname) && !hasClientHeader(headers))
      return refuse(true, 'forbidden', 'Requests must come from the studio (X-Proofsheet header missing).');
    // Server actions and form posts have no custom header: a browser signal must vouch for them.
    if (!isApiPath(pathname) && origin.kind === 'unknown') return refuse(api, 'forbidden', 'Cross-site requests are not accepted.');
  }

  if (accessRequired(config)) {
    const signedIn = verifySessionValue(sessionFromCookieHeader(headers.get('cookie')), config.secrets, options.now);
    if (pathname === SIGN_IN_PATH && signedIn && method === 'GET') {
      return withBaseHeaders(redirect(safeNextPath(searchParams.get('next')), url));
    }
    if (!signedIn && !isPublicPath(pathname)) {
      if (api || (method !== 'GET' && method !== 'HEAD')) return refuse(true, 'unauthorized', 'Sign in to use the studio.');
      const search = searchParams.size > 0 ? `?${searchParams}` : '';
      const next = pathname === '/' ? '' : `?next=${encodeURIComponent(pathname + search)}`;
      return withBaseHeaders(redirect(`${SIGN_IN_PATH}${next}`, url));
    }
  }
  return undefined;
}

type HostVerdict = 'loopback' | 'remote' | 'foreign';

/** Host (and X-Forwarded-Host, when a reverse proxy sends it) must name this studio. */
function checkHosts(headers: Headers, config: PerimeterConfig): HostVerdict {
  const values = [headers.get('host'), ...(headers.get('x-forwarded-host')?.split(',') ?? [])].filter((v) => v !== null);
  if (values.length === 0) return 'foreign';
  let verdict: HostVerdict = 'loopback';
  for (const value of values) {
    const name = hostnameOf(value);
    if (!name) return 'foreign';
    if (isLoopbackHostname(name)) continue;
    if (config.extraHosts.has(name) || (accessRequired(config) && ownAddresses().has(name))) verdict = 'remote';
    else return 'foreign';
  }
  return verdict;
}

let addresses: { at: number; set: Set<string> } | undefined;
function ownAddresses(): Set<string> {
  if (!addresses || Date.now() - addresses.at > 30_000) addresses = { at: Date.now(), set: interfaceHostnames() };
  return addresses.set;
}

function pass(request: NextRequest, pathname: string, dev: boolean): NextResponse {
  const isPage = !isApiPath(pathname) && !pathname.startsWith('/_next/');
  if (!isPage) return withBaseHeaders(NextResponse.next(), RESOURCE_CSP);
  const nonce = newNonce();
  const https = request.headers.get('x-forwarded-proto') === 'https' || request.nextUrl.protocol === 'https:';
  const csp = pageCsp({ nonce, dev, https });
  // Next.js reads the nonce from the request's policy and puts it on its scripts; the root
  // layout reads x-nonce for the theme script.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', csp);
  requestHeaders.set('x-nonce', nonce);
  return withBaseHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp);
}

function withBaseHeaders(response: NextResponse, csp?: string): NextResponse {
  for (const [k, v] of Object.entries(BASE_SECURITY_HEADERS)) response.headers.set(k, v);
  response.headers.set('Content-Security-Policy', csp ?? RESOURCE_CSP);
  return response;
}

/** Absolute for Next.js (it requires one), which makes a same-host redirect relative again. */
function redirect(location: string, base: URL): NextResponse {
  const response = NextResponse.redirect(new URL(location, base), 307);
  response.headers.set('Cache-Control', 'no-store');
  return response;
}

/** 421: the Host names no site of this server (the DNS rebinding answer). Says nothing more. */
function misdirected(): NextResponse {
  return withBaseHeaders(
    new NextResponse('Misdirected request: this server does not answer to that host name.\n', {
      status: 421,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    }),
  );
}

/** The one error shape for API callers and actions; a line of text for a page. */
function refuse(json: boolean, code: AppErrorCode, message: string): NextResponse {
  const status = APP_ERROR_STATUS[code];
  const response = json
    ? NextResponse.json({ error: { code, message } }, { status })
    : new NextResponse(`${message}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  response.headers.set('Cache-Control', 'no-store');
  return withBaseHeaders(response);
}
