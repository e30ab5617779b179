import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
let requestHeaders = new Headers();
vi.mock('next/headers', () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({ get: () => undefined }),
}));

const { db } = await import('../db/client');
const { getContext, ownerContext } = await import('../context');
const { createToken, listTokens, revokeToken } = await import('../services/tokens');
const { bearerFrom, generateToken, hasScope, hashToken, parseToken, tokenMatches } = await import('./tokens');
const { createRateLimiter } = await import('./rate-limit');
const { apiCaller, resetApiLimiter, seedApiFixture } = await import('./testing/api-fixture');
const h = await import('./handlers');

const ENGINE = 'offline:engine-v1';
let runToken = '';
let readToken = '';
let otherToken = '';
let assetId = '';

const call = apiCaller((headers) => {
  requestHeaders = headers;
});

const runBody = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ referenceIds: [assetId], instruction: 'make it teal', targets: [ENGINE], count: 1, parameters: { seed: 7 }, ...over });

beforeAll(async () => {
  ({ runToken, readToken, otherToken, assetId } = await seedApiFixture(call));
});

beforeEach(resetApiLimiter);

describe('token format, hashing and scopes', () => {
  it('makes ps_<prefix>_<secret> tokens with 192 random bits and stores only a hash', () => {
    const t = generateToken();
    expect(t.token).toMatch(/^ps_[a-z0-9]{12}_[A-Za-z0-9_-]{32}$/);
    expect(parseToken(t.token)?.prefix).toBe(t.prefix);
    expect(t.hash).toBe(hashToken(t.token));
    expect(t.hash).not.toContain(t.token.slice(16)); // the secret part
    expect(tokenMatches(t.token, t.hash)).toBe(true);
    expect(tokenMatches(`${t.token.slice(0, -1)}${t.token.endsWith('A') ? 'B' : 'A'}`, t.hash)).toBe(false);
    expect(generateToken().token).not.toBe(t.token);
  });

  it('parses bearer headers and rejects malformed tokens', () => {
    expect(bearerFrom('Bearer abc')).toBe('abc');
    expect(bearerFrom('Basic abc')).toBeNull();
    expect(parseToken('ps_short_x')).toBeNull();
  });

  it('orders scopes: admin ⊃ run ⊃ read', () => {
    expect(hasScope(['read'], 'run')).toBe(false);
    expect(hasScope(['run'], 'read')).toBe(true);
    expect(hasScope(['admin'], 'run')).toBe(true);
    expect(hasScope(['run'], 'admin')).toBe(false);
  });

  it('never stores the secret and lists tokens of this workspace only', async () => {
    const rows = await db().apiToken.findMany();
    for (const r of rows) for (const t of [runToken, readToken, otherToken]) expect(JSON.stringify(r)).not.toContain(t);
    expect((await listTokens(ownerContext())).map((t) => t.name).sort()).toEqual(['ci', 'dash']);
  });

  it('lets only the owner or an admin token manage tokens', async () => {
    requestHeaders = new Headers({ authorization: `Bearer ${runToken}` });
    await expect(createToken(await getContext(), { name: 'more', scopes: ['admin'] })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('bearer resolution', () => {
  it('resolves a valid token to a token actor of its workspace and records its use', async () => {
    requestHeaders = new Headers({ authorization: `Bearer ${runToken}` });
    const ctx = await getContext();
    expect(ctx.actor).toMatchObject({ kind: 'token', workspaceId: 'local', scopes: ['run'] });
    expect((await listTokens(ownerContext())).find((t) => t.name === 'ci')?.lastUsedAt).not.toBeNull();
  });

  it('refuses a wrong secret with a known prefix, garbage, and a missing token on the API (401)', async () => {
    const wrong = `${runToken.slice(0, 16)}${'A'.repeat(32)}`;
    for (const token of [wrong, 'nonsense']) {
      const res = await call(h.listSessionsHandler, '/api/v1/sessions', { token });
      expect(res.status).toBe(401);
    }
    expect((await call(h.listSessionsHandler, '/api/v1/sessions')).status).toBe(401);
  });

  it('refuses a revoked token', async () => {
    const created = await createToken(ownerContext(), { name: 'temp', scopes: ['read'] });
    expect((await call(h.listSessionsHandler, '/api/v1/sessions', { token: created.token })).status).toBe(200);
    await revokeToken(ownerContext(), { tokenId: created.summary.id });
    const res = await call(h.listSessionsHandler, '/api/v1/sessions', { token: created.token });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
  });

  it('enforces scopes per operation', async () => {
    const res = await call(h.createRunHandler, '/api/v1/runs', { method: 'POST', body: runBody(), token: readToken });
    expect(res.status).toBe(403);
  });
});

describe('rate limit per token', () => {
  it('answers 429 with Retry-After past the limit, per token', async () => {
    (globalThis as Record<string, unknown>).proofsheetApiLimiter = createRateLimiter({ limit: 2, windowMs: 30_000 });
    for (let i = 0; i < 2; i++) expect((await call(h.listSessionsHandler, '/api/v1/sessions', { token: readToken })).status).toBe(200);
    const res = await call(h.listSessionsHandler, '/api/v1/sessions', { token: readToken });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call(h.listSessionsHandler, '/api/v1/sessions', { token: runToken })).status).toBe(200);
  });

  it('slides: the window frees up as old requests age out', () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 1000 });
    expect(limiter.take('a', 0).allowed).toBe(true);
    expect(limiter.take('a', 500).allowed).toBe(true);
    expect(limiter.take('a', 900)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('a', 1001).allowed).toBe(true);
  });
});

describe('runs through the API', () => {
  it('creates a run in a new session, reads it back, lists it, cancels it', async () => {
    const res = await call(h.createRunHandler, '/api/v1/runs', { method: 'POST', body: runBody(), token: runToken });
    expect(res.status).toBe(201);
    const run = await res.json();
    expect(run.variations).toHaveLength(1);
    const got = await call(h.getRunHandler, `/api/v1/runs/${run.id}`, { token: readToken, params: { id: run.id } });
    expect((await got.json()).id).toBe(run.id);
    const list = await call(h.listSessionRunsHandler, `/api/v1/sessions/${run.sessionId}/runs`, {
      token: readToken,
      params: { id: run.sessionId },
    });
    expect((await list.json()).runs.map((r: { id: string }) => r.id)).toContain(run.id);
    const cancel = await call(h.cancelRunHandler, `/api/v1/runs/${run.id}/cancel`, {
      method: 'POST',
      token: runToken,
      params: { id: run.id },
    });
    expect(cancel.status).toBe(200);
  });

  it('downloads an output through its run only', async () => {
    const run = await (await call(h.createRunHandler, '/api/v1/runs', { method: 'POST', body: runBody(), token: runToken })).json();
    const vid = run.variations[0].id;
    await db().variation.update({ where: { id: vid }, data: { status: 'succeeded', outputAssetId: assetId } });
    const ok = await call(h.outputHandler, '/x', { token: readToken, params: { id: run.id, vid } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^image\//);
    expect((await call(h.outputHandler, '/x', { token: otherToken, params: { id: run.id, vid } })).status).toBe(404);
  });

  it('keeps another workspace out: its token cannot read, list or cancel this one’s runs', async () => {
    const run = await (await call(h.createRunHandler, '/api/v1/runs', { method: 'POST', body: runBody(), token: runToken })).json();
    expect((await call(h.getRunHandler, '/x', { token: otherToken, params: { id: run.id } })).status).toBe(404);
    expect((await call(h.cancelRunHandler, '/x', { method: 'POST', token: otherToken, params: { id: run.id } })).status).toBe(404);
    expect((await call(h.listSessionRunsHandler, '/x', { token: otherToken, params: { id: run.sessionId } })).status).toBe(404);
    const sessions = await (await call(h.listSessionsHandler, '/api/v1/sessions', { token: otherToken })).json();
    expect(sessions.sessions).toEqual([]);
  });
});

describe('Idempotency-Key', () => {
  it('returns the first result for a repeat and creates one run', async () => {
    const before = await db().run.count();
    const init = { method: 'POST', body: runBody({ instruction: 'once only' }), token: runToken, headers: { 'idempotency-key': 'job-42' } };
    const first = await call(h.createRunHandler, '/api/v1/runs', init);
    const second = await call(h.createRunHandler, '/api/v1/runs', init);
    expect(second.status).toBe(first.status);
    expect(await second.json()).toEqual(await first.json());
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await db().run.count()).toBe(before + 1);
  });

  it('answers 409 for the same key with a different body, and keys are per token', async () => {
    const headers = { 'idempotency-key': 'job-43' };
    expect((await call(h.createRunHandler, '/api/v1/runs', { method: 'POST', body: runBody(), token: runToken, headers })).status).toBe(
      201,
    );
    const clash = await call(h.createRunHandler, '/api/v1/runs', { method: 'POST', body: runBody({ count: 2 }), token: runToken, headers });
    expect(clash.status).toBe(409);
    const admin = await createToken(ownerContext(), { name: 'admin', scopes: ['admin'] });
    expect((await call(h.createRunHandler, '/api/v1/runs', { method: 'POST', body: runBody(), token: admin.token, headers })).status).toBe(
      201,
    );
  });

  it('releases the key when the create fails, so a corrected retry works', async () => {
    const headers = { 'idempotency-key': 'job-44' };
    const bad = await call(h.createRunHandler, '/api/v1/runs', {
      method: 'POST',
      body: runBody({ targets: ['nope:none'] }),
      token: runToken,
      headers,
    });
    expect(bad.status).toBe(400);
    expect(await db().apiIdempotency.count({ where: { key: 'job-44' } })).toBe(0);
  });
});
