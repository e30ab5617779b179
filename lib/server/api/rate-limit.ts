import 'server-only';
import { env } from '../env';

export type RateVerdict = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/**
 * Requests per token in a sliding window, in memory (one server process is this studio's
 * deployment; a restart forgets, which only helps callers). The stalest keys are dropped past
 * maxKeys so the map cannot grow without bound.
 */
export function createRateLimiter({ limit, windowMs, maxKeys = 10_000 }: { limit: number; windowMs: number; maxKeys?: number }) {
  const hits = new Map<string, number[]>();
  return {
    take(key: string, now = Date.now()): RateVerdict {
      const times = (hits.get(key) ?? []).filter((t) => now - t < windowMs);
      hits.delete(key);
      if (times.length >= limit) {
        hits.set(key, times);
        const oldest = times[times.length - limit]!;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
      }
      times.push(now);
      hits.set(key, times);
      if (hits.size > maxKeys) hits.delete(hits.keys().next().value!);
      return { allowed: true, remaining: limit - times.length };
    },
    reset(): void {
      hits.clear();
    },
  };
}

const globalForLimiter = globalThis as unknown as { proofsheetApiLimiter?: ReturnType<typeof createRateLimiter> };

/** The process's limiter: API_RATE_LIMIT requests per API_RATE_WINDOW_SECONDS (120 per 60 s). */
export function apiRateLimiter(): ReturnType<typeof createRateLimiter> {
  globalForLimiter.proofsheetApiLimiter ??= createRateLimiter({
    limit: env().API_RATE_LIMIT,
    windowMs: env().API_RATE_WINDOW_SECONDS * 1000,
  });
  return globalForLimiter.proofsheetApiLimiter;
}
