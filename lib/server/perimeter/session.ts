import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'proofsheet_session';
/** A signed-in browser stays signed in this long; changing the secret signs every browser out. */
export const SESSION_MAX_AGE_SECONDS = 14 * 24 * 3600;

// Compared as HMACs under a per-process key: equal lengths whatever was typed, so neither the
// length nor a matching prefix of a secret shows in the timing.
const compareKey = randomBytes(32);
const digest = (value: string) => createHmac('sha256', compareKey).update(value, 'utf8').digest();

/** Constant-time check of a typed secret against every configured one (all are compared). */
export function verifyAccessSecret(candidate: string, secrets: readonly string[]): boolean {
  const typed = digest(candidate);
  let ok = false;
  for (const secret of secrets) ok = timingSafeEqual(typed, digest(secret)) || ok;
  return ok;
}

/** The session signing key, derived from the secrets: rotating them invalidates sessions. */
function sessionKey(secrets: readonly string[]): Buffer {
  return createHmac('sha256', secrets.join('\0')).update('proofsheet/session/v1').digest();
}

function sign(payload: string, secrets: readonly string[]): string {
  return createHmac('sha256', sessionKey(secrets)).update(payload).digest('base64url');
}

/** `v1.<expires, unix seconds>.<random id>.<HMAC>`: stateless, expiring, tamper-evident. */
export function createSessionValue(secrets: readonly string[], now = Date.now()): string {
  const expires = Math.floor(now / 1000) + SESSION_MAX_AGE_SECONDS;
  const payload = `v1.${expires}.${randomBytes(12).toString('base64url')}`;
  return `${payload}.${sign(payload, secrets)}`;
}

export function verifySessionValue(value: string | undefined, secrets: readonly string[], now = Date.now()): boolean {
  if (!value || secrets.length === 0 || value.length > 200) return false;
  const match = /^(v1\.(\d{1,12})\.[A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return false;
  const [, payload, expires, sig] = match as unknown as [string, string, string, string];
  const expected = Buffer.from(sign(payload, secrets));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  return Number(expires) * 1000 > now;
}

type CookieOptions = { secure: boolean };

/** The Set-Cookie value of a new session: HttpOnly, SameSite=Strict, Path=/, Secure over https. */
export function sessionCookieHeader(value: string, { secure }: CookieOptions): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    `Max-Age=${SESSION_MAX_AGE_SECONDS}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearSessionCookieHeader({ secure }: CookieOptions): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'Max-Age=0', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])].join('; ');
}

/** The session cookie's value from a Cookie header. */
export function sessionFromCookieHeader(cookieHeader: string | null): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}
