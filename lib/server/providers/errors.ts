import 'server-only';
import type { ProviderErrorCode } from '@/lib/schemas/errors';

// The vocabulary itself is client-safe (lib/schemas/errors.ts, beside its advice); the error
// class that carries it lives here. The worker retries only `rate_limited` and `provider_error`.
export type { ProviderErrorCode };

export type ProviderErrorInit = {
  code: ProviderErrorCode;
  message: string;
  /** The vendor's own code (e.g. `DataInspectionFailed`), kept for support requests. */
  providerCode?: string;
  /** Honoured by the worker before the next attempt. */
  retryAfterMs?: number;
  /** For `content_policy`: was the prompt/input refused, or the generated output? */
  blocked?: 'input' | 'output';
  /** The vendor's id for this request (x-request-id, an error body's request id), kept for appeals and support. */
  vendorRequestId?: string;
  httpStatus?: number;
  /**
   * Whether the request could have reached the vendor, for transport failures (set by the
   * guarded fetch, lib/server/net/fetch.ts). `false`: certainly not: refused by the address
   * guard, DNS failure, connection refused or timed out, TLS failure, cancelled before the
   * connection was up; resubmitting cannot bill twice. `true`: it may have (the connection was
   * up, so the request may have been written and accepted). Unset: no transport information
   * (e.g. a mapped HTTP answer, which did reach the vendor): treat as possibly sent.
   */
  sent?: boolean;
};

export class ProviderError extends Error {
  readonly code: ProviderErrorCode;
  readonly providerCode?: string;
  readonly retryAfterMs?: number;
  readonly blocked?: 'input' | 'output';
  readonly vendorRequestId?: string;
  readonly httpStatus?: number;
  readonly sent?: boolean;

  constructor(init: ProviderErrorInit) {
    super(init.message);
    this.name = 'ProviderError';
    this.code = init.code;
    this.providerCode = init.providerCode;
    this.retryAfterMs = init.retryAfterMs;
    this.blocked = init.blocked;
    this.vendorRequestId = init.vendorRequestId;
    this.httpStatus = init.httpStatus;
    this.sent = init.sent;
  }

  get retryable(): boolean {
    return this.code === 'rate_limited' || this.code === 'provider_error';
  }
}

export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderError;
}

/**
 * Parses a Retry-After header (seconds or HTTP date) into milliseconds.
 * Source: RFC 9110 §10.2.3.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, date - now);
  return undefined;
}

/** Generic HTTP status → code mapping; adapters refine it with what the body says. */
export function codeForStatus(status: number): ProviderErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'insufficient_funds';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'provider_error';
  return 'bad_input';
}
