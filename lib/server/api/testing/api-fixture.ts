import sharp from 'sharp';
import { expect } from 'vitest';
import { contextFor, ownerContext } from '../../context';
import { db } from '../../db/client';
import { createToken } from '../../services/tokens';
import { uploadHandler } from '../handlers';
import { createRateLimiter } from '../rate-limit';

/**
 * What the /api/v1 tests share: calling a handler as a request would (bearer token, params),
 * three tokens (run and read in the owner's workspace, admin in another), one uploaded
 * reference, and a fresh rate limiter per test. Import it after `useTempDataDir()`.
 */
export type ApiHandler = (r: Request, c?: { params: Promise<Record<string, string>> }) => Promise<Response>;
export type ApiCallInit = RequestInit & { token?: string; params?: Record<string, string> };

const BASE = 'http://127.0.0.1:3000';

/**
 * `setHeaders` feeds the test's `next/headers` mock (vi.mock stays in the test file, where it
 * is hoisted). `jsonBodies` labels string bodies as JSON, as a client of the API would.
 */
export function apiCaller(setHeaders: (headers: Headers) => void, { jsonBodies = false } = {}) {
  return (handler: ApiHandler, path: string, init: ApiCallInit = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    if (jsonBodies && init.body && typeof init.body === 'string') headers.set('content-type', 'application/json');
    setHeaders(headers);
    return handler(new Request(`${BASE}${path}`, { ...init, headers }), { params: Promise.resolve(init.params ?? {}) });
  };
}

export type ApiFixture = { runToken: string; readToken: string; otherToken: string; assetId: string };

export async function seedApiFixture(call: ReturnType<typeof apiCaller>): Promise<ApiFixture> {
  await db().workspace.create({ data: { id: 'other', name: 'Another team' } });
  const runToken = (await createToken(ownerContext(), { name: 'ci', scopes: ['run'] })).token;
  const readToken = (await createToken(ownerContext(), { name: 'dash', scopes: ['read'] })).token;
  const otherToken = (await createToken(contextFor({ kind: 'owner', workspaceId: 'other' }), { name: 'theirs', scopes: ['admin'] })).token;
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#123456' } })
    .png()
    .toBuffer();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'ref.png');
  const res = await call(uploadHandler, '/api/v1/uploads', { method: 'POST', body: form, token: runToken });
  expect(res.status).toBe(201);
  return { runToken, readToken, otherToken, assetId: (await res.json()).asset.id };
}

/** A limit no test reaches, fresh per test; the rate-limit tests set their own. */
export function resetApiLimiter(): void {
  (globalThis as Record<string, unknown>).proofsheetApiLimiter = createRateLimiter({ limit: 1000, windowMs: 60_000 });
}
