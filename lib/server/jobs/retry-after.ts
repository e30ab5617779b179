import 'server-only';
import { ProviderError } from '../providers/errors';

/** The longest wait a vendor may impose on us; beyond it the variation fails as rate-limited. */
export const MAX_RETRY_AFTER_MS = 15 * 60_000;

/** Latest instant a JS Date can hold (ECMA-262 §21.4.1.22). */
const MAX_DATE_MS = 8.64e15;

/**
 * A vendor's Retry-After in ms, made safe to add to a date: negative, NaN or missing is 0;
 * anything (a year-9999 date, 1e13 seconds) stays a finite number, never a RangeError.
 */
export function retryAfterMs(e: unknown): number {
  const ms = e instanceof ProviderError ? e.retryAfterMs : undefined;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_DATE_MS) : 0;
}

export function tooLongToWait(ms: number): boolean {
  return ms > MAX_RETRY_AFTER_MS;
}

/** Final error for a vendor that asks us to wait longer than MAX_RETRY_AFTER_MS. */
export function waitTooLong(ms: number, vendor: string, now = Date.now()): ProviderError {
  return new ProviderError({
    code: 'rate_limited',
    message: `${vendor} asked to wait ${describeWait(ms, now)} before trying again; retry it then.`,
  });
}

/** "about 3 hours (until 2026-12-01 14:05 UTC)", safe for any duration. */
export function describeWait(ms: number, now = Date.now()): string {
  const minutes = ms / 60_000;
  const amount =
    minutes < 90
      ? `${Math.round(minutes)} minutes`
      : minutes < 48 * 60
        ? `about ${Math.round(minutes / 60)} hours`
        : `${Math.round(minutes / 1440).toLocaleString('en')} days`;
  const until = now + ms;
  if (!Number.isFinite(until) || until > MAX_DATE_MS) return `${amount} (far in the future)`;
  return `${amount} (until ${new Date(until).toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
}
