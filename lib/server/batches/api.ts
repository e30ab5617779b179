import 'server-only';
import { randomInt } from 'node:crypto';
import type { ApiBatch, ApiCreateBatch } from '@/lib/schemas/api';
import { MAX_SEED } from '@/lib/schemas/run';
import type { Ctx } from '../context';
import { createBatch } from '../services/batches';
import { kickBatchFeeder } from './feeder';
import { getBatchView, type BatchView } from './view';

/** The API's view of a batch: the shape the CLI reads (see apiBatchSchema). */
export function apiBatchView(b: BatchView): ApiBatch {
  return {
    id: b.id,
    status: b.status,
    progress: b.progress,
    etaSeconds: b.etaSeconds,
    items: b.items.map((i) => ({
      id: i.id,
      position: i.position,
      referenceId: i.referenceId,
      fileName: i.fileName,
      status: i.status,
      runId: i.runId,
      variations: i.variations.map((v) => ({
        id: v.id,
        targetId: v.targetId,
        status: v.status,
        seed: v.seed,
        costUsd: v.costUsd,
        outputUrl: v.outputUrl,
      })),
    })),
  };
}

export async function createApiBatch(ctx: Ctx, input: ApiCreateBatch, tokenId: string | null): Promise<ApiBatch> {
  const { batchId } = await createBatch(
    ctx,
    {
      instruction: input.instruction,
      negativePrompt: input.negativePrompt ?? '',
      targets: input.targets,
      count: input.count,
      seed: input.seed ?? randomInt(0, MAX_SEED),
      size: input.size,
      format: input.format,
      referenceIds: input.referenceIds,
      fileNames: input.fileNames,
      sharedReferenceIds: input.sharedReferenceIds ?? [],
    },
    input.webhookUrl && tokenId ? { url: input.webhookUrl, tokenId } : undefined,
  );
  void kickBatchFeeder();
  return getApiBatch(ctx, batchId);
}

export async function getApiBatch(ctx: Ctx, batchId: string): Promise<ApiBatch> {
  return apiBatchView(await getBatchView(ctx, batchId));
}
