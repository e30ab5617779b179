import 'server-only';

type Options = {
  /** Failed attempts one client may make per window. */
  perClient: number;
  /** Failed attempts all clients together may make per window (see clientKey). */
  global: number;
  windowMs: number;
  /** Clients remembered at most; the stalest are forgotten first. */
  maxClients?: number;
};

export type LimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts failed sign-in attempts in a sliding window, per client and overall. In memory: one
 * server process is the deployment this studio has; a restart forgets, which only helps the
 * owner. The overall ceiling exists because the client key can be forged (see clientKey).
 */
export function createFailureLimiter({ perClient, global, windowMs, maxClients = 10_000 }: Options) {
  const clients = new Map<string, number[]>();
  let all: number[] = [];

  const prune = (times: number[], now: number) => times.filter((t) => now - t < windowMs);
  const wait = (times: number[], limit: number, now: number) =>
    times.length >= limit ? Math.max(1, Math.ceil((times[times.length - limit]! + windowMs - now) / 1000)) : 0;

  return {
    check(key: string, now = Date.now()): LimitVerdict {
      all = prune(all, now);
      const mine = prune(clients.get(key) ?? [], now);
      const retry = Math.max(wait(mine, perClient, now), wait(all, global, now));
      return retry > 0 ? { allowed: false, retryAfterSeconds: retry } : { allowed: true };
    },
    fail(key: string, now = Date.now()): void {
      const mine = prune(clients.get(key) ?? [], now);
      mine.push(now);
      clients.delete(key);
      clients.set(key, mine);
      all.push(now);
      while (clients.size > maxClients) clients.delete(clients.keys().next().value!);
    },
    succeed(key: string): void {
      clients.delete(key);
    },
  };
}

type Limiter = ReturnType<typeof createFailureLimiter>;

const slot = Symbol.for('proofsheet.signInLimiter');
type WithLimiter = typeof globalThis & { [slot]?: Limiter };

/** 5 failures per client and 50 overall per 15 minutes; shared by every bundle of the process. */
export function signInLimiter(): Limiter {
  const g = globalThis as WithLimiter;
  g[slot] ??= createFailureLimiter({ perClient: 5, global: 50, windowMs: 15 * 60_000 });
  return g[slot];
}

/**
 * Who is trying, for the per-client count. Next.js sets X-Forwarded-For to the socket's address
 * only when the request carries none, so a client talking to the server directly can put any
 * value there: the per-client count is exact for honest clients and a reverse proxy, and the
 * overall ceiling bounds a client that rotates forged values.
 */
export function clientKey(headers: Headers): string {
  const first = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return first ? first.slice(0, 64).toLowerCase() : 'unknown';
}
