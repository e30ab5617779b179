import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir, env } from '../env';

const KEY_FILE = 'url-signing.key';

let cached: { source: string; key: Buffer } | undefined;

/**
 * The key input URLs are signed with. URL_SIGNING_SECRET when set (several servers, one key);
 * otherwise a random key made once and kept in DATA_DIR, so a URL handed to a vendor still
 * verifies after a restart, and it works without ACCESS_TOKEN (loopback use with a tunnel for
 * vendors). Not derived from ACCESS_TOKEN: rotating the sign-in secret should not break a
 * vendor's fetch in flight, and one secret should not serve two purposes.
 */
export function urlSigningKey(): Buffer {
  const configured = env().URL_SIGNING_SECRET;
  const source = configured ? 'env' : dataDir();
  if (cached?.source === source) return cached.key;
  const key = configured ? createHmac('sha256', configured).update('proofsheet/inputs/v1').digest() : keyFromDataDir(source);
  cached = { source, key };
  return key;
}

function keyFromDataDir(dir: string): Buffer {
  const file = path.join(dir, KEY_FILE);
  try {
    return parseKey(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dir, { recursive: true });
  try {
    // `wx`: when two processes race, one writes and both read the same key.
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return parseKey(readFileSync(file, 'utf8'));
}

function parseKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64url');
  if (key.length < 32)
    throw new Error(`${KEY_FILE} in DATA_DIR is damaged: delete it to make a new one (input URLs already handed out stop working).`);
  return key;
}

function signature(sha: string, expires: number, key: Buffer): string {
  return createHmac('sha256', key).update(`inputs:${sha}:${expires}`).digest('base64url');
}

/** `/api/inputs/<sha>?exp=<unix seconds>&sig=<HMAC>`: only this blob, only until then. */
export function signedInputPath(sha: string, { now = Date.now(), ttlSeconds = env().INPUT_URL_TTL_SECONDS } = {}): string {
  const expires = Math.floor(now / 1000) + ttlSeconds;
  return `/api/inputs/${sha}?exp=${expires}&sig=${signature(sha, expires, urlSigningKey())}`;
}

export type InputUrlVerdict = 'valid' | 'unsigned' | 'expired' | 'invalid';

export function verifyInputSignature(sha: string, exp: string | null, sig: string | null, now = Date.now()): InputUrlVerdict {
  if (exp === null || sig === null) return 'unsigned';
  if (!/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return 'invalid';
  const expected = Buffer.from(signature(sha, Number(exp), urlSigningKey()));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return Number(exp) * 1000 > now ? 'valid' : 'expired';
}
