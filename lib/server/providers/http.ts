import 'server-only';
import { redact } from '../redact';
import { guardedFetch, LIMITS, type GuardedResponse } from '../net/fetch';
import { ProviderError, codeForStatus, parseRetryAfter, type ProviderErrorCode } from './errors';

export type HttpResponse = {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else undefined. */
  json: unknown;
  /** The body as text; empty for an image or other binary answer (read `bytes`). */
  text: string;
  /** The raw body (always set by request(); absent in hand-made responses of tests). */
  bytes?: Buffer;
};

export type RequestOptions = {
  signal: AbortSignal;
  /** Per-request deadline, body included; the worker also holds an overall per-vendor deadline. */
  timeoutMs?: number;
  /** Cap on a 2xx body (default LIMITS.apiBytes: JSON answers may carry base64 images). */
  maxBytes?: number;
  /** Secrets that must never appear in an error message. */
  secrets?: (string | undefined)[];
};

// Secrets are redacted at one point (every configured key, plus the caller's); adapters import it from here.
export { redact };

/**
 * One API call through the address guard (lib/server/net/fetch.ts): a deadline, a capped body
 * read once, redirects followed only within the origin (a key in a header or, for ModelsLab,
 * in the body never goes elsewhere), and every failure a ProviderError: a refused connection
 * or reset is `provider_error` (retryable, with `sent`), a deadline is `timeout`.
 */
export async function request(url: string, init: RequestInit, opts: RequestOptions): Promise<HttpResponse> {
  let res: GuardedResponse;
  try {
    res = await guardedFetch(
      url,
      { method: init.method, headers: init.headers, body: init.body },
      { signal: opts.signal, timeoutMs: opts.timeoutMs ?? 60_000, maxBytes: opts.maxBytes ?? LIMITS.apiBytes, redirect: 'same-origin' },
    );
  } catch (e) {
    const err = e as ProviderError;
    throw new ProviderError({ code: err.code, message: redact(err.message, opts.secrets), httpStatus: err.httpStatus, sent: err.sent });
  }
  const type = res.headers.get('content-type') ?? '';
  // Decoding a 60 MB image as UTF-8 would only double the memory it takes.
  const binary = /^(image|video|audio)\/|octet-stream/i.test(type);
  const text = binary ? '' : res.body.toString('utf8');
  let json: unknown;
  if (text && (type.includes('json') || /^\s*[{[]/.test(text))) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, headers: res.headers, json, text, bytes: res.body };
}

/** For endpoints that must answer JSON: malformed JSON on a 2xx is a provider fault. */
export function requireJson(res: HttpResponse, vendor: string): Record<string, unknown> {
  if (res.json && typeof res.json === 'object') return res.json as Record<string, unknown>;
  throw new ProviderError({
    code: 'provider_error',
    message: `${vendor} sent a response that is not valid JSON (HTTP ${res.status}).`,
    httpStatus: res.status,
  });
}

/**
 * The common non-2xx mapping: status code → error code, Retry-After honoured, vendor
 * message taken from `message`/`error`/`detail` fields where present. Adapters pass
 * `override` when the body says more than the status (moderation inside a 400, etc.).
 */
export function httpError(
  res: HttpResponse,
  vendor: string,
  secrets: (string | undefined)[] = [],
  override?: Partial<{ code: ProviderErrorCode; providerCode: string; blocked: 'input' | 'output'; message: string }>,
): ProviderError {
  const code = override?.code ?? codeForStatus(res.status);
  const detail = override?.message ?? messageFrom(res.json) ?? res.text.slice(0, 300);
  return new ProviderError({
    code,
    message: redact(`${vendor}: ${detail || `HTTP ${res.status}`}`, secrets),
    providerCode: override?.providerCode,
    blocked: override?.blocked,
    vendorRequestId: requestIdOf(res),
    httpStatus: res.status,
    retryAfterMs: code === 'rate_limited' ? (parseRetryAfter(res.headers.get('retry-after')) ?? 10_000) : undefined,
  });
}

/**
 * The vendor's id for a request, where its answer carries one: the `x-request-id` header
 * (OpenAI documents it on every response; Atlas Cloud sends it too), a `request_id` field
 * (DashScope, Atlas Cloud), or the `id` of Stability's `{id, name, errors}` error body.
 */
export function requestIdOf(res: HttpResponse): string | undefined {
  const header = res.headers.get('x-request-id');
  if (header) return header.slice(0, 200);
  const b = res.json && typeof res.json === 'object' ? (res.json as Record<string, unknown>) : {};
  if (typeof b.request_id === 'string' && b.request_id) return b.request_id.slice(0, 200);
  if (typeof b.id === 'string' && b.id && Array.isArray(b.errors)) return b.id.slice(0, 200);
  return undefined;
}

/** Pulls a human message out of the usual vendor error shapes. */
export function messageFrom(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  for (const key of ['message', 'messege', 'msg', 'detail', 'error', 'failMsg', 'title']) {
    const v = b[key];
    if (typeof v === 'string' && v) return v;
    if (v && typeof v === 'object') {
      const inner = messageFrom(v);
      if (inner) return inner;
    }
  }
  if (Array.isArray(b.errors) && typeof b.errors[0] === 'string') return b.errors.join('; ');
  return undefined;
}

/** Decodes a data URI or bare base64 string into bytes. */
export function decodeBase64Image(value: string): { bytes: Buffer; mime?: string } {
  const m = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(value);
  if (m) return { bytes: Buffer.from(m[3] ?? '', 'base64'), mime: m[1] };
  return { bytes: Buffer.from(value, 'base64') };
}

export function toDataUri(bytes: Buffer, mime: string): string {
  return `data:${mime};base64,${bytes.toString('base64')}`;
}
