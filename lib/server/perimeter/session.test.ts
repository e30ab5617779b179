import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  clearSessionCookieHeader,
  createSessionValue,
  SESSION_MAX_AGE_SECONDS,
  sessionCookieHeader,
  sessionFromCookieHeader,
  verifyAccessSecret,
  verifySessionValue,
} from './session';
import { TOKEN } from './testing';

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

describe('the access secret', () => {
  it('accepts the secret and refuses near misses: prefixes, extensions, case, empty', () => {
    expect(verifyAccessSecret(TOKEN, [TOKEN])).toBe(true);
    for (const wrong of ['', TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase(), ` ${TOKEN}`, 'x'.repeat(1000)]) {
      expect(verifyAccessSecret(wrong, [TOKEN])).toBe(false);
    }
  });

  it('accepts either configured secret (ACCESS_TOKEN, ACCESS_PASSWORD) and nothing when none is set', () => {
    expect(verifyAccessSecret('the-password-here', [TOKEN, 'the-password-here'])).toBe(true);
    expect(verifyAccessSecret('', [])).toBe(false);
  });

  it('compares in constant time: equal-length digests through timingSafeEqual, whatever was typed', () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    verifyAccessSecret('short', [TOKEN, 'the-password-here']);
    // Every secret is compared (no early exit on the first), always as 32-byte digests.
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [a, b] of spy.mock.calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Strict, Path=/, expiring, and Secure only over https', () => {
    const header = sessionCookieHeader('v', { secure: false });
    const attrs = header.split('; ');
    expect(attrs).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${SESSION_MAX_AGE_SECONDS}`]));
    expect(attrs).not.toContain('Secure');
    expect(sessionCookieHeader('v', { secure: true }).split('; ')).toContain('Secure');
    expect(clearSessionCookieHeader({ secure: false }).split('; ')).toEqual(
      expect.arrayContaining(['Max-Age=0', 'HttpOnly', 'SameSite=Strict', 'Path=/']),
    );
  });

  it('verifies until it expires, then not', () => {
    const now = Date.now();
    const value = createSessionValue([TOKEN], now);
    expect(verifySessionValue(value, [TOKEN], now)).toBe(true);
    expect(verifySessionValue(value, [TOKEN], now + (SESSION_MAX_AGE_SECONDS - 60) * 1000)).toBe(true);
    expect(verifySessionValue(value, [TOKEN], now + (SESSION_MAX_AGE_SECONDS + 1) * 1000)).toBe(false);
  });

  it('refuses a tampered expiry, id or signature, another secret’s session, and junk', () => {
    const value = createSessionValue([TOKEN]);
    const [v, exp, id, sig] = value.split('.') as [string, string, string, string];
    const flip = (s: string) => (s.at(-1) === 'A' ? `${s.slice(0, -1)}B` : `${s.slice(0, -1)}A`);
    for (const bad of [
      `${v}.${Number(exp) + 1}.${id}.${sig}`,
      `${v}.${exp}.${flip(id)}.${sig}`,
      `${v}.${exp}.${id}.${flip(sig)}`,
      `v2.${exp}.${id}.${sig}`,
      `${value}.extra`,
      '',
      'a'.repeat(5000),
    ]) {
      expect(verifySessionValue(bad, [TOKEN])).toBe(false);
    }
    // Changing the secret signs every browser out.
    expect(verifySessionValue(value, ['a-new-secret-now'])).toBe(false);
    expect(verifySessionValue(value, [])).toBe(false);
  });

  it('is found in a Cookie header among others', () => {
    expect(sessionFromCookieHeader('theme=dark; proofsheet_session=abc.def; x=1')).toBe('abc.def');
    expect(sessionFromCookieHeader('xproofsheet_session=abc')).toBeUndefined();
    expect(sessionFromCookieHeader(null)).toBeUndefined();
  });
});
