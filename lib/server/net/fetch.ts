import 'server-only';
import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { env } from '../env';
import { ProviderError } from '../providers/errors';
import { readBody, toHeaders } from './body';
import { blockedReason } from './guard';
import { hostPortOf } from './host-port';

const MiB = 1024 * 1024;

export const LIMITS = {
  /** One output image (downloads, ComfyUI's /view). */
  imageBytes: 60 * MiB,
  /** One API answer: JSON that may carry images in base64 (OpenAI, Stability, Together). */
  apiBytes: 64 * MiB,
  /** A non-2xx body is only read for its message: past this it is cut, not refused. */
  errorBodyBytes: 256 * 1024,
  redirects: 5,
} as const;

type Resolved = { address: string; family: number };
/** Name → addresses; the system resolver unless a test hands in its own. */
type Resolver = (hostname: string) => Promise<Resolved[]>;

export type GuardedInit = { method?: string; headers?: HeadersInit; body?: BodyInit | null };

export type GuardedOptions = {
  signal?: AbortSignal;
  /** One deadline for everything: DNS, connect, every redirect hop and the whole body. */
  timeoutMs: number;
  /** Cap on the (decoded) body of a 2xx answer; past it the request fails and reading stops. */
  maxBytes: number;
  /**
   * `same-origin` (API calls): redirects within the origin are followed, one to another origin
   * is an error, so a key in a header or a body is never sent elsewhere. `follow` (output links:
   * CDNs and signed-URL services redirect): any origin, without authorization or cookie headers.
   * Either way every hop goes through the address guard, and at most LIMITS.redirects.
   */
  redirect?: 'same-origin' | 'follow';
  /** Tests: a stub resolver and allow-list instead of the system's and OUTBOUND_ALLOW_HOSTS. */
  resolve?: Resolver;
  allow?: readonly string[];
};

export type GuardedResponse = { status: number; ok: boolean; headers: Headers; body: Buffer; url: string };

/** The connection this request was about to make goes to an address the guard refuses. */
class BlockedAddress extends Error {}

/**
 * The one way the server talks to another machine. Every connection is checked by the address
 * guard at connect time: names are resolved once and the checked answer is the one connected
 * to (a custom `lookup`, so a second DNS answer can never differ). Redirects are followed by
 * hand and checked per hop; bodies are capped while streaming (after decompression) and under
 * one deadline. Every failure is a ProviderError saying whether the request may have been sent.
 */
export async function guardedFetch(input: string | URL, init: GuardedInit, opts: GuardedOptions): Promise<GuardedResponse> {
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  const state = { sent: false, reading: false };
  let url = parseTarget(input, 'URL');
  try {
    let method = (init.method ?? 'GET').toUpperCase();
    let { body, headers } = await encode(init);
    for (let hop = 0; ; hop++) {
      const res = await exchange(url, method, headers, body, signal, state, opts);
      const location = [301, 302, 303, 307, 308].includes(res.statusCode ?? 0) ? res.headers.location : undefined;
      if (!location) {
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        state.reading = true;
        const bytes = await readBody(res, method, ok ? opts.maxBytes : Math.min(opts.maxBytes, LIMITS.errorBodyBytes), !ok, signal, url);
        return { status, ok, headers: toHeaders(res), body: bytes, url: url.href };
      }
      res.destroy();
      const from = url;
      if (hop >= LIMITS.redirects) throw failure(`${from.host} redirected more than ${LIMITS.redirects} times.`, true, res.statusCode);
      url = parseTarget(location, 'redirect', from);
      if (url.origin !== from.origin) {
        if ((opts.redirect ?? 'same-origin') === 'same-origin') {
          throw failure(`${from.host} redirected to another origin (${url.host}); not followed.`, true, res.statusCode);
        }
        delete headers.authorization;
        delete headers.cookie;
      }
      // As fetch does: 303 (and 301/302 after a POST) becomes a body-less GET; 307/308 resend as is.
      if ((res.statusCode === 303 && method !== 'HEAD') || (method === 'POST' && (res.statusCode === 301 || res.statusCode === 302))) {
        method = 'GET';
        body = undefined;
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !['content-type', 'content-length'].includes(k)));
      }
    }
  } catch (e) {
    throw normalise(e, url, opts.signal, deadline, state);
  }
}

function failure(message: string, sent: boolean, httpStatus?: number): ProviderError {
  return new ProviderError({ code: 'provider_error', message, sent, httpStatus });
}

function parseTarget(input: string | URL, what: 'URL' | 'redirect', base?: URL): URL {
  let url: URL;
  try {
    url = new URL(input, base);
  } catch {
    throw failure(what === 'URL' ? 'Refusing an invalid URL.' : `${base?.host} redirected to an invalid URL.`, what === 'redirect');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw failure(
      what === 'URL'
        ? `Refusing a ${url.protocol} URL: only http and https are fetched.`
        : `${base?.host} redirected to a ${url.protocol} URL; not followed.`,
      what === 'redirect',
    );
  }
  if (url.username || url.password) throw failure(`Refusing a URL with credentials in it (${url.host}).`, what === 'redirect');
  return url;
}

/** The body once, as bytes (so a 307 can resend it), with the content-type fetch would give it. */
async function encode(init: GuardedInit): Promise<{ body: Buffer | undefined; headers: Record<string, string> }> {
  const headers: Record<string, string> = { accept: '*/*', 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'Proofsheet' };
  let body: Buffer | undefined;
  let type: string | null = null;
  if (typeof init.body === 'string') {
    body = Buffer.from(init.body);
    type = 'text/plain;charset=UTF-8';
  } else if (init.body instanceof Uint8Array) {
    body = Buffer.from(init.body.buffer, init.body.byteOffset, init.body.byteLength);
  } else if (init.body != null) {
    // FormData, Blob, URLSearchParams: Response encodes them exactly as fetch would (multipart boundary).
    const encoded = new Response(init.body);
    body = Buffer.from(await encoded.arrayBuffer());
    type = encoded.headers.get('content-type');
  }
  if (type) headers['content-type'] = type;
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  const method = (init.method ?? 'GET').toUpperCase();
  if (body || ['POST', 'PUT', 'PATCH'].includes(method)) headers['content-length'] = String(body?.length ?? 0);
  return { body, headers };
}

function allowed(url: URL, opts: GuardedOptions): boolean {
  return (opts.allow ?? env().OUTBOUND_ALLOW_HOSTS).includes(hostPortOf(url));
}

function check(url: URL, address: string): void {
  const reason = blockedReason(address);
  if (reason) {
    throw new BlockedAddress(
      `Refusing to connect to ${url.host}: ${address} is a special-purpose address (${reason}). ` +
        `If that server is yours, add ${hostPortOf(url)} to OUTBOUND_ALLOW_HOSTS.`,
    );
  }
}

const systemResolver: Resolver = async (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Resolves once and checks every answer; the socket connects only to what it returns (Node's
 * happy-eyeballs may try several, all of them checked). IP literals never reach a lookup, so
 * exchange() checks those itself.
 */
function pinnedLookup(url: URL, open: boolean, resolve: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((all) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const answers = family ? all.filter((a) => a.family === family) : all;
        if (answers.length === 0) throw Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' });
        if (!open) for (const a of all) check(url, a.address);
        return answers;
      })
      .then(
        (answers) =>
          process.nextTick(() => (options.all ? callback(null, answers) : callback(null, answers[0]!.address, answers[0]!.family))),
        (e: NodeJS.ErrnoException) => process.nextTick(() => callback(e, '', 0)),
      );
  };
}

function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  signal: AbortSignal,
  state: { sent: boolean },
  opts: GuardedOptions,
): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const open = allowed(url, opts);
  if (isIP(host) && !open) check(url, host);
  const tls = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (tls ? https : http).request({
      host,
      port: url.port || (tls ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method,
      headers: { ...headers, host: url.host },
      // A fresh socket per request: its connect event is this request's, and no pooled socket
      // outlives the check that let it open.
      agent: false,
      lookup: pinnedLookup(url, open, opts.resolve ?? systemResolver),
      signal,
    });
    req.once('socket', (socket) => {
      // Until TCP (and TLS) are up nothing of the request can have reached the server.
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        state.sent = true;
      });
    });
    req.once('response', resolve);
    // Not once: an abort after a first error must not become an uncaught 'error' event.
    req.on('error', reject);
    req.end(body);
  });
}

/** Whatever went wrong, one ProviderError: never a raw DOMException or socket error. */
function normalise(
  e: unknown,
  url: URL,
  caller: AbortSignal | undefined,
  deadline: AbortSignal,
  state: { sent: boolean; reading: boolean },
): ProviderError {
  if (e instanceof ProviderError) return e;
  if (caller?.aborted) return new ProviderError({ code: 'interrupted', message: 'Cancelled.', sent: state.sent });
  if (deadline.aborted) return new ProviderError({ code: 'timeout', message: `No answer from ${url.host} in time.`, sent: state.sent });
  // A later hop of a redirect chain: the first request did reach a server.
  if (e instanceof BlockedAddress) return failure(e.message, state.sent);
  const err = e as NodeJS.ErrnoException | undefined;
  const reason = (err instanceof Error && err.message) || err?.code || String(e);
  const what = state.reading ? `The connection to ${url.host} broke while reading the answer` : `Could not reach ${url.host}`;
  return failure(`${what}: ${reason}`, state.sent);
}
