import 'server-only';
import { ProviderError, codeForStatus, parseRetryAfter, type ProviderErrorCode } from './errors';

export type HttpResponse = {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else undefined. */
  json: unknown;
  text: string;
};

export type RequestOptions = {
  signal: AbortSignal;
  /** Per-request deadline; the worker also holds an overall per-vendor deadline. */
  timeoutMs?: number;
  /** Secrets that must never appear in an error message. */
  secrets?: (string | undefined)[];
};

/** Removes every secret (and Bearer/Key tokens) from text that may reach a log or the UI. */
export function redact(text: string, secrets: (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out.replace(/\b(Bearer|Key|Token)\s+[A-Za-z0-9._\-:]{8,}/g, '$1 [redacted]');
}

/**
 * fetch() with a deadline, a body read once, and network failures normalised:
 * a refused connection or reset is `provider_error` (retryable), a deadline is `timeout`.
 */
export async function request(url: string, init: RequestInit, opts: RequestOptions): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 60_000);
  const signal = AbortSignal.any([opts.signal, timeout]);
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...init, signal, redirect: 'follow' });
    text = await res.text();
  } catch (e) {
    if (opts.signal.aborted) throw new ProviderError({ code: 'interrupted', message: 'Cancelled.' });
    if (timeout.aborted) {
      throw new ProviderError({ code: 'timeout', message: `No answer from ${hostOf(url)} in time.` });
    }
    const reason = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    throw new ProviderError({
      code: 'provider_error',
      message: redact(`Could not reach ${hostOf(url)}: ${reason}`, opts.secrets),
    });
  }
  let json: unknown;
  const type = res.headers.get('content-type') ?? '';
  if (text && (type.includes('json') || /^\s*[{[]/.test(text))) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, headers: res.headers, json, text };
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
    httpStatus: res.status,
    retryAfterMs: code === 'rate_limited' ? (parseRetryAfter(res.headers.get('retry-after')) ?? 10_000) : undefined,
  });
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

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the provider';
  }
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
