import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiBatchSchema } from '@/lib/schemas/api';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
let requestHeaders = new Headers();
vi.mock('next/headers', () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({ get: () => undefined }),
}));

const { kickBatchFeeder } = await import('./feeder');
const { apiCaller, resetApiLimiter, seedApiFixture } = await import('../api/testing/api-fixture');
const h = await import('../api/handlers');

const ENGINE = 'offline:engine-v1';
let runToken = '';
let readToken = '';
let otherToken = '';
let assetId = '';

const call = apiCaller(
  (headers) => {
    requestHeaders = headers;
  },
  { jsonBodies: true },
);

const batchBody = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    instruction: 'white background',
    targets: [ENGINE],
    seed: 3,
    referenceIds: [assetId, assetId, assetId],
    fileNames: ['a.png', 'b.png', 'c.png'],
    ...over,
  });

beforeAll(async () => {
  ({ runToken, readToken, otherToken, assetId } = await seedApiFixture(call));
});

beforeEach(resetApiLimiter);

describe('/api/v1/batches', () => {
  it('creates a batch and reads it back in the documented shape', async () => {
    const res = await call(h.createBatchHandler, '/api/v1/batches', { method: 'POST', body: batchBody(), token: runToken });
    expect(res.status).toBe(201);
    const created = apiBatchSchema.parse(await res.json());
    expect(created.progress.total).toBe(3);
    expect(created.items.map((i) => i.fileName)).toEqual(['a.png', 'b.png', 'c.png']);
    await kickBatchFeeder();
    const got = await call(h.getBatchHandler, `/api/v1/batches/${created.id}`, { token: readToken, params: { id: created.id } });
    expect(got.status).toBe(200);
    const body = apiBatchSchema.strict().parse(await got.json());
    expect(body.status).toBe('running');
    expect(body.items[0]!.runId).toBeTruthy();
    expect(body.items[0]!.variations[0]).toMatchObject({ targetId: ENGINE, status: 'queued', seed: 3, outputUrl: null });
  });

  it('honours Idempotency-Key: the same key and body return the same batch; another body is a conflict', async () => {
    const headers = { 'idempotency-key': 'batch-1' };
    const a = await call(h.createBatchHandler, '/api/v1/batches', { method: 'POST', body: batchBody(), token: runToken, headers });
    const b = await call(h.createBatchHandler, '/api/v1/batches', { method: 'POST', body: batchBody(), token: runToken, headers });
    expect(a.status).toBe(201);
    expect((await b.json()).id).toBe((await a.json()).id);
    const c = await call(h.createBatchHandler, '/api/v1/batches', {
      method: 'POST',
      body: batchBody({ instruction: 'other' }),
      token: runToken,
      headers,
    });
    expect(c.status).toBe(409);
  });

  it('pauses, resumes, cancels and retries one item; scopes and workspaces hold', async () => {
    const res = await call(h.createBatchHandler, '/api/v1/batches', { method: 'POST', body: batchBody(), token: runToken });
    const { id, items } = await res.json();
    const post = (handler: typeof h.pauseBatchHandler, path: string, token = runToken, params: Record<string, string> = { id }) =>
      call(handler, path, { method: 'POST', token, params });
    expect((await post(h.pauseBatchHandler, `/api/v1/batches/${id}/pause`, readToken)).status).toBe(403);
    expect((await post(h.pauseBatchHandler, `/api/v1/batches/${id}/pause`, otherToken)).status).toBe(404);
    const other = await call(h.getBatchHandler, `/api/v1/batches/${id}`, { token: otherToken, params: { id } });
    expect(other.status).toBe(404);
    expect(await (await post(h.pauseBatchHandler, `/api/v1/batches/${id}/pause`)).json()).toEqual({ status: 'paused' });
    expect(await (await post(h.resumeBatchHandler, `/api/v1/batches/${id}/resume`)).json()).toEqual({ status: 'running' });
    const cancelled = await (await post(h.cancelBatchHandler, `/api/v1/batches/${id}/cancel`)).json();
    expect(cancelled.status).toBe('cancelled');
    const itemId = items[1].id;
    const retried = await post(h.retryBatchItemHandler, `/api/v1/batches/${id}/items/${itemId}/retry`, runToken, { id, itemId });
    expect(await retried.json()).toEqual({ itemId, status: 'pending' });
    const again = await post(h.retryBatchItemHandler, `/api/v1/batches/${id}/items/${itemId}/retry`, runToken, { id, itemId });
    expect(again.status).toBe(409);
  });

  it('refuses a batch with an unknown target', async () => {
    const res = await call(h.createBatchHandler, '/api/v1/batches', {
      method: 'POST',
      body: batchBody({ targets: ['x:y'] }),
      token: runToken,
    });
    expect(res.status).toBe(400);
  });
});
