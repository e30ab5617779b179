'use server';

import { z } from 'zod';
import { defineAction } from '../action';
import { cancelBatch, createBatch, createBatchSchema, pauseBatch, resumeBatch, retryBatchItem } from '../services/batches';
import { kickBatchFeeder } from './feeder';
import { batchFilterSchema, getBatchView } from './view';

const idSchema = z.string().min(1).max(64);
const batchIdSchema = z.object({ batchId: idSchema });

export const createBatchAction = defineAction('createBatch', createBatchSchema, async (ctx, input) => {
  const created = await createBatch(ctx, input);
  void kickBatchFeeder();
  return created;
});

export const getBatchAction = defineAction('getBatch', z.object({ batchId: idSchema, filter: batchFilterSchema }), (ctx, input) =>
  getBatchView(ctx, input.batchId, input.filter),
);

export const pauseBatchAction = defineAction('pauseBatch', batchIdSchema, (ctx, { batchId }) => pauseBatch(ctx, batchId));

export const resumeBatchAction = defineAction('resumeBatch', batchIdSchema, async (ctx, { batchId }) => {
  const result = await resumeBatch(ctx, batchId);
  void kickBatchFeeder();
  return result;
});

export const cancelBatchAction = defineAction('cancelBatch', batchIdSchema, (ctx, { batchId }) => cancelBatch(ctx, batchId));

export const retryBatchItemAction = defineAction(
  'retryBatchItem',
  z.object({ batchId: idSchema, itemId: idSchema }),
  async (ctx, input) => {
    const result = await retryBatchItem(ctx, input.batchId, input.itemId);
    void kickBatchFeeder();
    return result;
  },
);
