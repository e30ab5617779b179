import 'server-only';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ShareExpiry, ShareLinkState } from '@/lib/schemas/review';

/** 32 random bytes (256 bits), base64url without padding: always 43 characters. */
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * A new share token and the hash stored for it. Only the hash reaches the database, so a
 * leaked database (or backup) holds no working link; the token is shown to the designer once.
 */
export function generateShareToken(): { token: string; hash: string } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, hash: hashShareToken(token) };
}

/** Hex SHA-256: a token has 256 random bits, so a fast hash is enough (no password stretching). */
export function hashShareToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Cheap shape check before any lookup: anything else in the URL is "not found" at once. */
export function isShareTokenShape(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/**
 * Whether a presented token matches a stored hash, in constant time. The lookup itself is by
 * hash (a unique index), which leaks nothing useful: timing can only reveal bits of a hash
 * whose preimage is unknown. This compare re-checks the row the index returned.
 */
export function tokenMatches(token: string, storedHash: string): boolean {
  if (!isShareTokenShape(token) || !/^[0-9a-f]{64}$/.test(storedHash)) return false;
  const a = Buffer.from(hashShareToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

const DAY_MS = 24 * 60 * 60 * 1000;
const EXPIRY_DAYS: Record<Exclude<ShareExpiry, 'never'>, number> = { '1d': 1, '7d': 7, '30d': 30 };

export function expiryFrom(expiresIn: ShareExpiry, now = new Date()): Date | null {
  return expiresIn === 'never' ? null : new Date(now.getTime() + EXPIRY_DAYS[expiresIn] * DAY_MS);
}

/** Revoked wins over expired (the designer's act is the clearer message). Expired at the instant itself. */
export function linkState(link: { revokedAt: Date | null; expiresAt: Date | null }, now = new Date()): ShareLinkState {
  if (link.revokedAt) return 'revoked';
  if (link.expiresAt && link.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}
