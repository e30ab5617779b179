import 'server-only';
import { z } from 'zod';
import { findTarget } from '@/lib/providers/catalog';
import type { ProviderId } from '@/lib/providers/target-kit';
import { MAX_INSTRUCTION_LENGTH, MAX_REFERENCES, MAX_TARGETS, MAX_VARIATIONS } from '@/lib/schemas/limits';
import { MAX_SEED, submitRunSchema } from '@/lib/schemas/run';
import { sendBatchWebhook, watchRunWebhook } from '../api/webhooks-out';
import { ownerContext, type Ctx } from '../context';
import { db } from '../db/client';
import { AppError, notFound } from '../errors';
import { newId } from '../ids';
import { targetConcurrencyFor } from '../providers/registry';
import { checkBlocklist } from '../safety/service';
import { createSession } from './sessions';
import { submitRun } from './runs';
import { cancelUnfinished } from './variations';

/** Hundreds of images, not an unbounded import: past this, split the catalog. */
export const MAX_BATCH_ITEMS = 1000;

export const createBatchSchema = z
  .object({
    instruction: z.string().trim().min(1, 'Write an instruction.').max(MAX_INSTRUCTION_LENGTH),
    negativePrompt: z.string().trim().max(MAX_INSTRUCTION_LENGTH).default(''),
    targets: z
      .array(z.string().min(1).max(200))
      .min(1, 'Pick at least one target.')
      .max(MAX_TARGETS)
      .refine((t) => new Set(t).size === t.length, 'A target is listed twice.'),
    count: z.int().min(1).max(MAX_VARIATIONS).default(1),
    seed: z.int().min(0).max(MAX_SEED),
    size: z
      .string()
      .regex(/^(auto|\d{2,5}x\d{2,5})$/)
      .default('auto'),
    format: z.enum(['png', 'jpeg']).default('png'),
    referenceIds: z.array(z.string().min(1).max(64)).min(1, 'Add at least one image.').max(MAX_BATCH_ITEMS),
    fileNames: z.array(z.string().max(255)).max(MAX_BATCH_ITEMS).optional(),
    sharedReferenceIds: z
      .array(z.string().min(1).max(64))
      .max(MAX_REFERENCES - 1)
      .default([]),
  })
  .refine((b) => !b.fileNames || b.fileNames.length === b.referenceIds.length, {
    message: 'Give one file name per reference.',
    path: ['fileNames'],
  });
export type CreateBatchInput = z.output<typeof createBatchSchema>;

const batchParamsSchema = z.object({ count: z.int(), seed: z.int(), size: z.string(), format: z.enum(['png', 'jpeg']) });
const idsSchema = z.array(z.string());

export type BatchStatus = 'queued' | 'running' | 'paused' | 'cancelled' | 'done';
export type BatchItemStatus = 'pending' | 'submitted' | 'done' | 'failed' | 'cancelled';

/** How many runs at once the batch's targets can actually work on. */
export function parallelismFor(targets: readonly string[]): number {
  let sum = 0;
  for (const id of targets) {
    const t = findTarget(id);
    sum += t ? targetConcurrencyFor(t.provider as ProviderId) : 1;
  }
  return Math.max(1, sum);
}

/** Items in flight: enough to keep every slot busy, few enough that a pause or cancel bites quickly. */
export const inFlightCap = (targets: readonly string[]) => 2 * parallelismFor(targets);

/**
 * Validates like submitRun (the same schema, with the shared references appended) and writes
 * the batch, its own session and one pending item per reference. Nothing is submitted here:
 * the feeder does that at its pace.
 */
export async function createBatch(
  ctx: Ctx,
  raw: z.input<typeof createBatchSchema>,
  webhook?: { url: string; tokenId: string },
): Promise<{ batchId: string; sessionId: string }> {
  const input = createBatchSchema.parse(raw);
  const probe = submitRunSchema.safeParse({
    sessionId: 'probe',
    instruction: input.instruction,
    negativePrompt: input.negativePrompt,
    referenceIds: [input.referenceIds[0], ...input.sharedReferenceIds],
    targets: input.targets,
    count: input.count,
    seed: input.seed,
    size: input.size,
    format: input.format,
  });
  if (!probe.success) throw new AppError('invalid_input', probe.error.issues[0]?.message ?? 'Invalid batch.');
  const unknown = input.targets.find((t) => !findTarget(t));
  if (unknown) throw new AppError('invalid_input', `Unknown target “${unknown}”.`, { fields: { targets: 'Unknown target.' } });
  await checkBlocklist(ctx, { ...input, sessionId: null });
  const wanted = new Set([...input.referenceIds, ...input.sharedReferenceIds]);
  const found = await db().asset.count({ where: { id: { in: [...wanted] } } });
  if (found !== wanted.size) {
    throw new AppError('invalid_input', 'A reference image was not found; upload it again.', { fields: { referenceIds: 'Not found.' } });
  }

  const sessionId = await createSession(ctx, { title: `Batch: ${input.instruction.split('\n')[0]!.slice(0, 100)}` });
  const batchId = newId();
  await db().$transaction([
    db().batch.create({
      data: {
        id: batchId,
        workspaceId: ctx.workspaceId,
        sessionId,
        instruction: input.instruction,
        negativePrompt: input.negativePrompt,
        params: JSON.stringify({ count: input.count, seed: input.seed, size: input.size, format: input.format }),
        targets: JSON.stringify(input.targets),
        sharedReferenceIds: JSON.stringify(input.sharedReferenceIds),
        webhookUrl: webhook?.url ?? null,
        tokenId: webhook?.tokenId ?? null,
      },
    }),
    db().batchItem.createMany({
      data: input.referenceIds.map((referenceAssetId, position) => ({
        id: newId(),
        batchId,
        position,
        referenceAssetId,
        fileName: input.fileNames?.[position] ?? `item-${position + 1}`,
      })),
    }),
  ]);
  return { batchId, sessionId };
}

async function requireBatch(ctx: Ctx, batchId: string) {
  const batch = await db().batch.findFirst({ where: { id: batchId, workspaceId: ctx.workspaceId } });
  if (!batch) throw notFound('That batch does not exist.');
  return batch;
}

/** Stops feeding; runs already submitted finish. */
export async function pauseBatch(ctx: Ctx, batchId: string): Promise<{ status: BatchStatus }> {
  await requireBatch(ctx, batchId);
  const { count } = await db().batch.updateMany({
    where: { id: batchId, status: { in: ['queued', 'running'] } },
    data: { status: 'paused' },
  });
  if (count === 0) throw new AppError('conflict', 'Only a queued or running batch can be paused.');
  return { status: 'paused' };
}

export async function resumeBatch(ctx: Ctx, batchId: string): Promise<{ status: BatchStatus }> {
  await requireBatch(ctx, batchId);
  const { count } = await db().batch.updateMany({ where: { id: batchId, status: 'paused' }, data: { status: 'running' } });
  if (count === 0) throw new AppError('conflict', 'Only a paused batch can be resumed.');
  return { status: 'running' };
}

/** Unsubmitted items are cancelled; the unfinished variations of submitted ones are stopped. */
export async function cancelBatch(ctx: Ctx, batchId: string): Promise<{ status: BatchStatus; cancelled: number }> {
  const batch = await requireBatch(ctx, batchId);
  if (batch.status === 'cancelled' || batch.status === 'done') throw new AppError('conflict', 'That batch has already finished.');
  await db().batch.update({ where: { id: batchId }, data: { status: 'cancelled', finishedAt: new Date() } });
  const { count: items } = await db().batchItem.updateMany({
    where: { batchId, status: 'pending' },
    data: { status: 'cancelled', error: 'Cancelled by you.' },
  });
  const runIds = (await db().batchItem.findMany({ where: { batchId, status: 'submitted', runId: { not: null } }, select: { runId: true } }))
    .map((i) => i.runId!)
    .filter(Boolean);
  const variations = runIds.length ? await cancelUnfinished({ runId: { in: runIds } }, 'Cancelled with its batch.') : 0;
  await reconcileBatch(batchId);
  return { status: 'cancelled', cancelled: items + variations };
}

/** Puts one failed or cancelled item back in line as a new run; the batch feeds again. */
export async function retryBatchItem(ctx: Ctx, batchId: string, itemId: string): Promise<{ itemId: string; status: BatchItemStatus }> {
  await requireBatch(ctx, batchId);
  const { count } = await db().batchItem.updateMany({
    where: { id: itemId, batchId, status: { in: ['failed', 'cancelled'] } },
    data: { status: 'pending', runId: null, error: null, submittedAt: null, finishedAt: null },
  });
  if (count === 0) throw new AppError('conflict', 'Only a failed or cancelled item can be retried.');
  await db().batch.updateMany({
    where: { id: batchId, status: { in: ['done', 'cancelled'] } },
    data: { status: 'running', finishedAt: null },
  });
  return { itemId, status: 'pending' };
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** An item's fate from its run's variations: done when any output came back. */
export function itemOutcome(statuses: readonly string[]): BatchItemStatus | null {
  if (statuses.length === 0 || !statuses.every((s) => TERMINAL.has(s))) return null;
  if (statuses.includes('succeeded')) return 'done';
  return statuses.includes('failed') ? 'failed' : 'cancelled';
}

/** A submission interrupted between claiming the item and recording its run: failed, never resubmitted blind. */
const ORPHAN_AFTER_MS = 5 * 60_000;

/** Moves submitted items whose runs have finished to done/failed/cancelled; a batch with nothing left is done. */
export async function reconcileBatch(batchId: string, now = new Date()): Promise<void> {
  const submitted = await db().batchItem.findMany({
    where: { batchId, status: 'submitted' },
    select: { id: true, runId: true, submittedAt: true },
  });
  const runIds = submitted.flatMap((i) => (i.runId ? [i.runId] : []));
  const variations = runIds.length
    ? await db().variation.findMany({
        where: { runId: { in: runIds } },
        select: { runId: true, status: true, errorMessage: true, finishedAt: true },
      })
    : [];
  for (const item of submitted) {
    if (!item.runId) {
      if (item.submittedAt && now.getTime() - item.submittedAt.getTime() > ORPHAN_AFTER_MS) {
        await db().batchItem.updateMany({
          where: { id: item.id, status: 'submitted', runId: null },
          data: { status: 'failed', error: 'The submission was interrupted; retry the item.', finishedAt: now },
        });
      }
      continue;
    }
    const mine = variations.filter((v) => v.runId === item.runId);
    const outcome = itemOutcome(mine.map((v) => v.status));
    if (!outcome) continue;
    const finishedAt = mine.reduce<Date | null>((max, v) => (v.finishedAt && (!max || v.finishedAt > max) ? v.finishedAt : max), null);
    await db().batchItem.updateMany({
      where: { id: item.id, status: 'submitted' },
      data: {
        status: outcome,
        finishedAt: finishedAt ?? now,
        error: outcome === 'done' ? null : (mine.find((v) => v.errorMessage)?.errorMessage ?? null),
      },
    });
  }
  const open = await db().batchItem.count({ where: { batchId, status: { in: ['pending', 'submitted'] } } });
  if (open === 0) {
    const { count } = await db().batch.updateMany({
      where: { id: batchId, status: { in: ['queued', 'running'] } },
      data: { status: 'done', finishedAt: now },
    });
    // Only the call that moved it to done tells the pipeline; delivery retries in the background.
    if (count === 1) void sendBatchWebhook(batchId).catch(() => {});
  }
}

/**
 * One feeding pass over a batch: reconcile, then submit pending items in order until the
 * in-flight cap is reached. Each item goes through submitRun, so targets, budgets and safety
 * rules hold per item; an item refused there fails alone (retry it later).
 */
export async function feedBatch(batchId: string, now = new Date()): Promise<number> {
  await reconcileBatch(batchId, now);
  const batch = await db().batch.findUnique({ where: { id: batchId } });
  if (!batch || (batch.status !== 'queued' && batch.status !== 'running')) return 0;
  const targets = idsSchema.parse(JSON.parse(batch.targets));
  const params = batchParamsSchema.parse(JSON.parse(batch.params));
  const shared = idsSchema.parse(JSON.parse(batch.sharedReferenceIds));
  const inFlight = await db().batchItem.count({ where: { batchId, status: 'submitted' } });
  const room = inFlightCap(targets) - inFlight;
  if (room <= 0) return 0;
  const pending = await db().batchItem.findMany({ where: { batchId, status: 'pending' }, orderBy: { position: 'asc' }, take: room });
  if (pending.length === 0) return 0;
  if (batch.status === 'queued') await db().batch.updateMany({ where: { id: batchId, status: 'queued' }, data: { status: 'running' } });
  const ctx = ownerContext(batch.workspaceId);
  let fed = 0;
  for (const item of pending) {
    // Claim first: a second feeder (or a pause landing now) never submits the same item twice.
    const claimed = await db().batchItem.updateMany({
      where: { id: item.id, status: 'pending', batch: { status: { in: ['queued', 'running'] } } },
      data: { status: 'submitted', submittedAt: new Date(), attempts: { increment: 1 } },
    });
    if (claimed.count === 0) continue;
    try {
      const { runId } = await submitRun(
        ctx,
        submitRunSchema.parse({
          sessionId: batch.sessionId,
          instruction: batch.instruction,
          negativePrompt: batch.negativePrompt,
          referenceIds: [item.referenceAssetId, ...shared.filter((id) => id !== item.referenceAssetId)],
          targets,
          count: params.count,
          // Same seed for every item, so the whole catalog is made on equal terms.
          seed: params.seed,
          size: params.size,
          format: params.format,
        }),
      );
      await db().batchItem.update({ where: { id: item.id }, data: { runId } });
      if (batch.webhookUrl && batch.tokenId) {
        await watchRunWebhook({ runId, sessionId: batch.sessionId, tokenId: batch.tokenId, url: batch.webhookUrl }).catch(() => {});
      }
      fed++;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      await db().batchItem.update({ where: { id: item.id }, data: { status: 'failed', error: message, finishedAt: new Date() } });
    }
  }
  return fed;
}

/** Every batch that may still move: feeding ones, and paused or cancelled ones with runs still finishing. */
export async function feedAllBatches(now = new Date()): Promise<number> {
  const active = await db().batch.findMany({
    where: { OR: [{ status: { in: ['queued', 'running'] } }, { items: { some: { status: 'submitted' } } }] },
    select: { id: true },
    orderBy: { createdAt: 'asc' },
  });
  let fed = 0;
  for (const b of active) fed += await feedBatch(b.id, now);
  return fed;
}
