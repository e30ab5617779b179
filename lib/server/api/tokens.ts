import 'server-only';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TokenScope } from '../context';

const TOKEN_SCOPES = ['read', 'run', 'admin'] as const satisfies readonly TokenScope[];

// `ps_<prefix>_<secret>`: the prefix (48 bits) finds the row and is safe to show; the secret
// (192 bits, base64url) is what proves the caller. Only SHA-256 of the whole token is stored:
// a token is random and long, so a slow hash adds nothing.
const TOKEN_PATTERN = /^ps_([a-z0-9]{12})_([A-Za-z0-9_-]{32})$/;

export type NewToken = { token: string; prefix: string; hash: string };

export function generateToken(): NewToken {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(24).toString('base64url');
  const token = `ps_${prefix}_${secret}`;
  return { token, prefix, hash: hashToken(token) };
}

/** A per-token key for signing outbound webhooks (`whsec_` + 256 bits). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The prefix of a well-formed token, or null: malformed tokens never reach the database. */
export function parseToken(token: string): { prefix: string } | null {
  const m = TOKEN_PATTERN.exec(token);
  return m ? { prefix: m[1]! } : null;
}

/** Constant-time comparison of a presented token against a stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `Authorization: Bearer <token>` → the token, or null when there is no bearer credential. */
export function bearerFrom(header: string | null | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/** Stored scopes (JSON) → the known ones; anything unknown is dropped, never granted. */
export function decodeScopes(json: string): TokenScope[] {
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return [];
    return TOKEN_SCOPES.filter((s) => value.includes(s));
  } catch {
    return [];
  }
}

/**
 * What a scope allows. `admin` includes `run` and `read`; `run` includes `read` (a pipeline that
 * creates runs must be able to read them back).
 */
export function hasScope(scopes: readonly TokenScope[], needed: TokenScope): boolean {
  if (scopes.includes('admin')) return true;
  if (needed === 'read') return scopes.includes('read') || scopes.includes('run');
  return scopes.includes(needed);
}
