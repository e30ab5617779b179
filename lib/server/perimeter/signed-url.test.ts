import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';
import { usePerimeterEnv } from './testing';

const setEnv = usePerimeterEnv();
const dataDir = useTempDataDir();
const { GET } = await import('@/app/api/inputs/[sha]/route');
const { signedInputPath, urlSigningKey, verifyInputSignature } = await import('./signed-url');
const { publicUrlFor } = await import('../public-url');
const { blobKey, blobStore, sha256 } = await import('../storage');

let bytes: Buffer;
let sha = '';
let other = '';
beforeAll(async () => {
  bytes = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#e64980' } })
    .png()
    .toBuffer();
  sha = sha256(bytes);
  await blobStore().put(blobKey(sha), bytes);
  const second = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#12b886' } })
    .png()
    .toBuffer();
  other = sha256(second);
  await blobStore().put(blobKey(other), second);
});

function get(pathAndQuery: string) {
  const url = new URL(pathAndQuery, 'http://127.0.0.1:3000');
  const digest = url.pathname.split('/').at(-1)!;
  return GET(new Request(url), { params: Promise.resolve({ sha: digest }) });
}

describe('signed input URLs', () => {
  it('serves a valid signed URL with its type, length, nosniff and no caching', async () => {
    const res = await get(signedInputPath(sha));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('refuses an unsigned URL, as the old ones were, with 403 and without touching the store', async () => {
    for (const p of [
      `/api/inputs/${sha}`,
      `/api/inputs/${sha}?type=image/png`,
      `/api/inputs/${sha}?exp=9999999999`,
      `/api/inputs/${sha}?sig=x`,
    ]) {
      const res = await get(p);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('forbidden');
    }
  });

  it('refuses an expired URL', async () => {
    const old = signedInputPath(sha, { now: Date.now() - 2 * 3600_000, ttlSeconds: 3600 });
    const res = await get(old);
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toMatch(/expired/);
  });

  it('refuses a tampered digest, expiry or signature', async () => {
    const good = new URL(signedInputPath(sha), 'http://x');
    const exp = good.searchParams.get('exp')!;
    const sig = good.searchParams.get('sig')!;
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    const cases = [
      `/api/inputs/${other}?exp=${exp}&sig=${sig}`,
      `/api/inputs/${sha}?exp=${Number(exp) + 86400}&sig=${sig}`,
      `/api/inputs/${sha}?exp=${exp}&sig=${flip(sig)}`,
      `/api/inputs/${sha}?exp=${exp}&sig=${sig}x`,
      `/api/inputs/${sha}?exp=-1&sig=${sig}`,
      `/api/inputs/${sha.toUpperCase()}?exp=${exp}&sig=${sig}`,
    ];
    for (const p of cases) expect((await get(p)).status, p).toBe(403);
  });

  it('answers 404 for a correctly signed digest that is not stored', async () => {
    const missing = 'b'.repeat(64);
    expect((await get(signedInputPath(missing))).status).toBe(404);
  });

  it('hands vendors signed, expiring URLs under PUBLIC_BASE_URL', async () => {
    setEnv({ PUBLIC_BASE_URL: 'https://studio.example.com', INPUT_URL_TTL_SECONDS: '600' });
    const before = Math.floor(Date.now() / 1000);
    const url = new URL(await publicUrlFor({ bytes, sha256: sha, mime: 'image/png', width: 40, height: 30, filename: 'image-1.png' }));
    expect(url.origin).toBe('https://studio.example.com');
    expect(url.pathname).toBe(`/api/inputs/${sha}`);
    const exp = Number(url.searchParams.get('exp'));
    expect(exp - before).toBeGreaterThanOrEqual(599);
    expect(exp - before).toBeLessThanOrEqual(601);
    expect(verifyInputSignature(sha, url.searchParams.get('exp'), url.searchParams.get('sig'))).toBe('valid');
    expect(url.searchParams.get('type')).toBe('image/png');
  });

  it('keeps its key in DATA_DIR (private to the owner, the same after a restart) unless URL_SIGNING_SECRET is set', () => {
    const key = urlSigningKey();
    const file = path.join(dataDir, 'url-signing.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url').equals(key)).toBe(true);
    const signedWithFile = signedInputPath(sha);
    setEnv({ URL_SIGNING_SECRET: 'x'.repeat(40) });
    expect(urlSigningKey().equals(key)).toBe(false);
    const url = new URL(signedWithFile, 'http://x');
    expect(verifyInputSignature(sha, url.searchParams.get('exp'), url.searchParams.get('sig'))).toBe('invalid');
  });
});
