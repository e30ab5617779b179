import 'server-only';
import { z } from 'zod';
import {
  apiBatchItemParamsSchema,
  apiBatchParamsSchema,
  apiCreateBatchSchema,
  apiCreateRunSchema,
  apiCursorQuerySchema,
  apiOutputParamsSchema,
  apiRunParamsSchema,
} from '@/lib/schemas/api';
import { createApiBatch, getApiBatch } from '../batches/api';
import { kickBatchFeeder } from '../batches/feeder';
import { cancelBatch, pauseBatch, resumeBatch, retryBatchItem } from '../services/batches';
import { listRuns } from '../services/runs';
import { listSessions } from '../services/sessions';
import { acceptUpload } from '../services/uploads';
import { admitUpload } from '../uploads/gates';
import { discardBody, readSingleFile } from '../uploads/multipart';
import { requestHash, idempotencyKey, withIdempotency } from './idempotency';
import { defineApiRoute } from './route';
import { apiRunView, cancelApiRun, createApiRun, downloadOutput, getApiRun } from './runs';
import { watchRunWebhook } from './webhooks-out';

/**
 * Every /api/v1 operation, defined once here so the routes (app/api/v1) and the OpenAPI
 * document list the same set. Each goes through the studio's services.
 */

export const uploadHandler = defineApiRoute({ name: 'v1.uploads.create', scope: 'run' }, async (ctx, { request }) => {
  let key: string | undefined;
  let release: () => void;
  try {
    key = idempotencyKey(request);
    release = await admitUpload();
  } catch (e) {
    discardBody(request);
    throw e;
  }
  try {
    const file = await readSingleFile(request);
    const hash = requestHash('uploads', Buffer.concat([Buffer.from(file?.name ?? ''), Buffer.from([0]), file?.bytes ?? Buffer.alloc(0)]));
    return await withIdempotency(ctx.actor.tokenId, key, hash, async () => {
      const { asset, notes } = await acceptUpload(ctx, file, { signal: request.signal });
      return {
        status: 201,
        body: { asset: { id: asset.id, sha256: asset.sha256, mime: asset.mime, width: asset.width, height: asset.height }, notes },
      };
    });
  } finally {
    release();
  }
});

export const createRunHandler = defineApiRoute(
  { name: 'v1.runs.create', scope: 'run', body: apiCreateRunSchema },
  async (ctx, { body, request }) => {
    const key = idempotencyKey(request);
    return withIdempotency(ctx.actor.tokenId, key, requestHash('runs', JSON.stringify(body)), async () => {
      const run = await createApiRun(ctx, body);
      if (body.webhookUrl)
        await watchRunWebhook({ runId: run.id, sessionId: run.sessionId, tokenId: ctx.actor.tokenId, url: body.webhookUrl });
      return { status: 201, body: run };
    });
  },
);

export const getRunHandler = defineApiRoute({ name: 'v1.runs.get', scope: 'read', params: apiRunParamsSchema }, (ctx, { params }) =>
  getApiRun(ctx, params.id),
);

export const cancelRunHandler = defineApiRoute({ name: 'v1.runs.cancel', scope: 'run', params: apiRunParamsSchema }, (ctx, { params }) =>
  cancelApiRun(ctx, params.id),
);

export const outputHandler = defineApiRoute(
  { name: 'v1.variations.output', scope: 'read', params: apiOutputParamsSchema },
  (ctx, { params, request }) => downloadOutput(ctx, request, params.id, params.vid),
);

export const listSessionsHandler = defineApiRoute(
  { name: 'v1.sessions.list', scope: 'read', query: apiCursorQuerySchema },
  async (ctx, { query }) => {
    const page = await listSessions(ctx, { cursor: query.cursor, limit: query.limit });
    return {
      sessions: page.sessions.map((s) => ({
        id: s.id,
        title: s.title,
        updatedAt: s.updatedAt,
        archived: s.archived,
        runCount: s.runCount,
      })),
      nextCursor: page.nextCursor,
    };
  },
);

export const listSessionRunsHandler = defineApiRoute(
  { name: 'v1.sessions.runs', scope: 'read', params: z.object({ id: z.string().min(1).max(64) }), query: apiCursorQuerySchema },
  async (ctx, { params, query }) => {
    const page = await listRuns(ctx, { sessionId: params.id, cursor: query.cursor }, query.limit);
    return { runs: page.runs.map(apiRunView), nextCursor: page.nextCursor };
  },
);

export const createBatchHandler = defineApiRoute(
  { name: 'v1.batches.create', scope: 'run', body: apiCreateBatchSchema },
  async (ctx, { body, request }) => {
    const key = idempotencyKey(request);
    return withIdempotency(ctx.actor.tokenId, key, requestHash('batches', JSON.stringify(body)), async () => ({
      status: 201,
      body: await createApiBatch(ctx, body, ctx.actor.tokenId),
    }));
  },
);

export const getBatchHandler = defineApiRoute({ name: 'v1.batches.get', scope: 'read', params: apiBatchParamsSchema }, (ctx, { params }) =>
  getApiBatch(ctx, params.id),
);

export const pauseBatchHandler = defineApiRoute(
  { name: 'v1.batches.pause', scope: 'run', params: apiBatchParamsSchema },
  (ctx, { params }) => pauseBatch(ctx, params.id),
);

export const resumeBatchHandler = defineApiRoute(
  { name: 'v1.batches.resume', scope: 'run', params: apiBatchParamsSchema },
  async (ctx, { params }) => {
    const result = await resumeBatch(ctx, params.id);
    void kickBatchFeeder();
    return result;
  },
);

export const cancelBatchHandler = defineApiRoute(
  { name: 'v1.batches.cancel', scope: 'run', params: apiBatchParamsSchema },
  (ctx, { params }) => cancelBatch(ctx, params.id),
);

export const retryBatchItemHandler = defineApiRoute(
  { name: 'v1.batches.items.retry', scope: 'run', params: apiBatchItemParamsSchema },
  async (ctx, { params }) => {
    const result = await retryBatchItem(ctx, params.id, params.itemId);
    void kickBatchFeeder();
    return result;
  },
);
