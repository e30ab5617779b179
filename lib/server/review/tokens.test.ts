import { describe, expect, it } from 'vitest';
import { expiryFrom, generateShareToken, hashShareToken, isShareTokenShape, linkState, tokenMatches } from './tokens';

describe('share tokens', () => {
  it('are 32 random bytes in base64url, and only their SHA-256 is kept', () => {
    const { token, hash } = generateShareToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashShareToken(token));
    expect(hash).not.toContain(token);
  });

  it('do not repeat and spread over every character (no fixed bits)', () => {
    const tokens = Array.from({ length: 2000 }, () => generateShareToken().token);
    expect(new Set(tokens).size).toBe(tokens.length);
    // Each of the 256 bits is set in roughly half of the tokens: a stuck bit would be 0 or 2000.
    const ones = new Array(256).fill(0);
    for (const t of tokens) {
      const bytes = Buffer.from(t, 'base64url');
      for (let i = 0; i < 256; i++) ones[i] += (bytes[i >> 3]! >> (i & 7)) & 1;
    }
    expect(Math.min(...ones)).toBeGreaterThan(850);
    expect(Math.max(...ones)).toBeLessThan(1150);
  });

  it('hash is the known SHA-256 of the text', () => {
    expect(hashShareToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('match only their own hash, and refuse malformed input', () => {
    const { token, hash } = generateShareToken();
    const other = generateShareToken();
    expect(tokenMatches(token, hash)).toBe(true);
    expect(tokenMatches(other.token, hash)).toBe(false);
    expect(tokenMatches(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, hash)).toBe(false);
    expect(tokenMatches(token, 'not-a-hash')).toBe(false);
    expect(tokenMatches('short', hashShareToken('short'))).toBe(false);
    expect(isShareTokenShape(`${token}=`)).toBe(false);
    expect(isShareTokenShape('../../etc/passwd-aaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toBe(false);
  });
});

describe('link state', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it('is active without expiry or before it', () => {
    expect(linkState({ revokedAt: null, expiresAt: null }, now)).toBe('active');
    expect(linkState({ revokedAt: null, expiresAt: new Date(now.getTime() + 1) }, now)).toBe('active');
  });
  it('is expired at the instant of expiry and after', () => {
    expect(linkState({ revokedAt: null, expiresAt: now }, now)).toBe('expired');
    expect(linkState({ revokedAt: null, expiresAt: new Date(now.getTime() - 1) }, now)).toBe('expired');
  });
  it('is revoked when revoked, even if also expired', () => {
    expect(linkState({ revokedAt: now, expiresAt: null }, now)).toBe('revoked');
    expect(linkState({ revokedAt: now, expiresAt: new Date(0) }, now)).toBe('revoked');
  });
  it('expiry options add whole days, never means none', () => {
    expect(expiryFrom('1d', now)?.toISOString()).toBe('2026-03-02T12:00:00.000Z');
    expect(expiryFrom('7d', now)?.toISOString()).toBe('2026-03-08T12:00:00.000Z');
    expect(expiryFrom('30d', now)?.toISOString()).toBe('2026-03-31T12:00:00.000Z');
    expect(expiryFrom('never', now)).toBeNull();
  });
});
