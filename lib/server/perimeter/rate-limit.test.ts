import { describe, expect, it } from 'vitest';
import { clientKey, createFailureLimiter } from './rate-limit';

describe('the sign-in failure limiter', () => {
  const windowMs = 15 * 60_000;

  it('refuses a client after N failures, with the seconds until the oldest one leaves the window', () => {
    const limiter = createFailureLimiter({ perClient: 3, global: 100, windowMs });
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(limiter.check('a', t0 + i * 1000).allowed).toBe(true);
      limiter.fail('a', t0 + i * 1000);
    }
    const verdict = limiter.check('a', t0 + 3000);
    expect(verdict).toEqual({ allowed: false, retryAfterSeconds: (windowMs - 3000) / 1000 });
    expect(limiter.check('b', t0 + 3000).allowed).toBe(true);
    expect(limiter.check('a', t0 + windowMs + 1).allowed).toBe(true);
  });

  it('bounds clients that forge a new key per attempt with an overall ceiling', () => {
    const limiter = createFailureLimiter({ perClient: 3, global: 10, windowMs });
    for (let i = 0; i < 10; i++) limiter.fail(`forged-${i}`, 1000);
    expect(limiter.check('anyone-new', 2000).allowed).toBe(false);
  });

  it('forgets a client’s failures after a success, and remembers a bounded number of clients', () => {
    const limiter = createFailureLimiter({ perClient: 2, global: 1000, windowMs, maxClients: 5 });
    limiter.fail('a', 0);
    limiter.succeed('a');
    limiter.fail('a', 1);
    expect(limiter.check('a', 2).allowed).toBe(true);
    for (let i = 0; i < 50; i++) limiter.fail(`c${i}`, 3);
    limiter.fail('c49', 4);
    expect(limiter.check('c49', 5).allowed).toBe(false);
  });

  it('keys by the first X-Forwarded-For hop, bounded', () => {
    expect(clientKey(new Headers({ 'x-forwarded-for': '203.0.113.9, 10.0.0.1' }))).toBe('203.0.113.9');
    expect(clientKey(new Headers())).toBe('unknown');
    expect(clientKey(new Headers({ 'x-forwarded-for': 'x'.repeat(500) })).length).toBe(64);
  });
});
