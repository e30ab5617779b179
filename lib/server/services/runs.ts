import 'server-only';
import { z } from 'zod';
import { findTarget, PROVIDERS } from '@/lib/providers/catalog';
import type { EstimateView } from '@/lib/schemas/ledger';
import { MAX_SEED, submitRunSchema, type RunPage, type RunParams, type SubmitRunParams } from '@/lib/schemas/run';
import type { Ctx } from '../context';
import type { Prisma } from '../generated/prisma/client';
import { db } from '../db/client';
import { decode, encode } from '../db/decoders';
import { AppError } from '../errors';
import { notifyRunChanged, notifyVariationChanged } from '../events/notify';
import { newId } from '../ids';
import { wakeWorker } from '../jobs/worker';
import { gateRun } from '../ledger/budget-gate';
import { withBudgetLock } from '../ledger/budget-lock';
import { getAdapter } from '../providers/registry';
import { checkRunSafety } from '../safety/service';
import { runDto, runInclude } from './dto';
import { withRunReviews } from './galleries-reviews';
import { inWorkspace } from './scope';
import { DEFAULT_SESSION_TITLE, requireSession } from './sessions';

export { submitRunSchema };

export type SubmitResult = {
  runId: string;
  number: number;
  sessionTitle: string;
  variationIds: string[];
  /** The cost estimate at creation, with budget warnings (at 80 % of a limit, unknown prices). */
  estimate: EstimateView;
};

/**
 * Writes the run, its ordered references and one queued variation per target × count in a
 * single transaction, snapshotting exactly what was submitted. Returns at once; the worker
 * does the rest (woken here, so every caller, UI or API, gets the same behaviour). Bad input
 * changes nothing.
 */
export async function submitRun(
  ctx: Ctx,
  input: SubmitRunParams,
  /** `probe`: a burn test from the providers dashboard (lib/server/ledger/probe.ts); same checks. */
  options: { kind?: 'edit' | 'probe' } = {},
): Promise<SubmitResult> {
  const targets = input.targets.map((id) => ({ id, target: findTarget(id) }));
  const unknown = targets.find((t) => !t.target);
  if (unknown) throw new AppError('invalid_input', `Unknown target “${unknown.id}”.`, { fields: { targets: 'Unknown target.' } });
  for (const { target } of targets) {
    if (!getAdapter(target!.provider)?.configured()) {
      const info = PROVIDERS[target!.provider];
      throw new AppError('not_configured', `${target!.label} is not available: add ${info.envKey} to .env.`, {
        fields: { targets: 'Not configured.' },
      });
    }
  }

  const session = await requireSession(ctx, input.sessionId);
  const assets = await db().asset.findMany({ where: { id: { in: input.referenceIds } }, select: { id: true } });
  if (assets.length !== new Set(input.referenceIds).size) {
    throw new AppError('invalid_input', 'A reference image was not found; upload it again.', { fields: { referenceIds: 'Not found.' } });
  }
  if (input.parentVariationId) {
    const parent = await db().variation.findFirst({
      where: { id: input.parentVariationId, ...inWorkspace.variation(ctx) },
      select: { id: true },
    });
    if (!parent) throw new AppError('invalid_input', 'The variation this run starts from no longer exists.');
  }
  if (input.sourceRunId) {
    const source = await db().run.findFirst({ where: { id: input.sourceRunId, sessionId: session.id }, select: { id: true } });
    if (!source) throw new AppError('invalid_input', 'The run being repeated is not in this session.');
  }
  // Blocklist and moderation, after the input checks and before anything is created or sent.
  await checkRunSafety(ctx, { ...input, sessionId: session.id });
  // Cost: estimated at today's prices and checked against the budgets; refused here, nothing is
  // sent. Check and write under one lock, so two runs at the same instant cannot both fit.
  return withBudgetLock(ctx.workspaceId, () => createRun(ctx, input, options, session, targets));
}

async function createRun(
  ctx: Ctx,
  input: SubmitRunParams,
  options: { kind?: 'edit' | 'probe' },
  session: Awaited<ReturnType<typeof requireSession>>,
  targets: { id: string; target: ReturnType<typeof findTarget> }[],
): Promise<SubmitResult> {
  const cost = await gateRun(ctx, { ...input, sessionId: session.id });

  const runId = newId();
  const params: RunParams = {
    count: input.count,
    seed: input.seed,
    size: input.size,
    format: input.format,
    strength: input.strength,
    guidance: input.guidance,
    safety: input.safety,
  };
  const variations = targets.flatMap(({ target }) =>
    Array.from({ length: input.count }, (_, index) => ({
      id: newId(),
      runId,
      targetId: target!.id,
      provider: target!.provider,
      model: target!.model,
      index,
      // Same seeds on every target, so providers are compared on equal terms.
      seed: (input.seed + index) % (MAX_SEED + 1),
      costEstimateUsd: cost.unitUsd(target!.id),
    })),
  );
  const now = new Date();
  // A new session takes its name from its first instruction.
  const sessionTitle = session.title === DEFAULT_SESSION_TITLE ? titleFrom(input.instruction) : session.title;
  const insertRun = async (number: number) => {
    await db().$transaction([
      db().run.create({
        data: {
          id: runId,
          number,
          sourceRunId: input.sourceRunId ?? null,
          sourceKind: input.sourceRunId ? (input.sourceKind ?? 'tweak') : null,
          sessionId: session.id,
          instruction: input.instruction,
          negativePrompt: input.negativePrompt,
          params: encode.params(params),
          targets: encode.targets(input.targets),
          parentVariationId: input.parentVariationId ?? null,
          kind: options.kind ?? 'edit',
          createdAt: now,
          references: { create: input.referenceIds.map((assetId, position) => ({ assetId, position })) },
        },
      }),
      db().variation.createMany({ data: variations.map((v) => ({ ...v, queuedAt: now })) }),
      db().session.update({
        where: { id: session.id },
        data: { title: sessionTitle, updatedAt: now },
      }),
    ]);
  };
  // Run numbers are unique per session; two submits racing for the same number retry.
  let number = 0;
  for (let attempt = 0; ; attempt++) {
    const { _max } = await db().run.aggregate({ where: { sessionId: session.id }, _max: { number: true } });
    number = (_max.number ?? 0) + 1;
    try {
      await insertRun(number);
      break;
    } catch (e) {
      if (attempt < 4 && (e as { code?: string }).code === 'P2002') continue;
      throw e;
    }
  }
  notifyRunChanged(runId, session.id);
  wakeWorker();
  return { runId, number, sessionTitle, variationIds: variations.map((v) => v.id), estimate: cost.estimate };
}

function titleFrom(instruction: string): string {
  const line = instruction.split('\n')[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

export const retrySchema = z.object({ variationId: z.string().min(1).max(64) });

/**
 * Puts a failed or cancelled variation back in the queue as a fresh job: the vendor's old job
 * id and any kept result are dropped (the next claim submits anew, with a new idempotency key),
 * never re-polled. Nothing deleted, nor under a deleted run or session, is retried.
 */
type RetryResult = {
  variationId: string;
  /** Budget warnings (80 % of a limit, an unknown price), as a new run's estimate carries. */
  warnings: string[];
};

export async function retryVariation(ctx: Ctx, input: z.output<typeof retrySchema>): Promise<RetryResult> {
  const retriable = {
    AND: [
      { id: input.variationId, status: { in: ['failed', 'cancelled'] }, deletedAt: null },
      { run: { deletedAt: null, session: { deletedAt: null } } },
      inWorkspace.variation(ctx),
    ],
  };
  const row = await db().variation.findFirst({
    where: retriable,
    select: {
      targetId: true,
      costUsd: true,
      priorCostUsd: true,
      run: {
        select: {
          sessionId: true,
          instruction: true,
          negativePrompt: true,
          params: true,
          references: { orderBy: { position: 'asc' }, select: { assetId: true } },
        },
      },
    },
  });
  if (!row) throw new AppError('conflict', 'Only failed or cancelled variations can be retried.');
  // A retry is sent and billed again, so it passes the same pre-check and budget as a new run
  // (the blocklist or the budget may have changed since the run was created).
  const params = decode.params(row.run.params);
  const safety = params.safety?.[row.targetId];
  const check = {
    sessionId: row.run.sessionId,
    instruction: row.run.instruction,
    negativePrompt: row.run.negativePrompt,
    referenceIds: row.run.references.map((r) => r.assetId),
    targets: [row.targetId],
    ...(safety === undefined ? {} : { safety: { [row.targetId]: safety } }),
  };
  await checkRunSafety(ctx, check);
  const warnings = await withBudgetLock(ctx.workspaceId, async () => {
    const cost = await gateRun(ctx, { ...check, count: 1, size: params.size });
    // The failed attempt's cost (it includes any before it) is carried over, not lost.
    // Guarded by the cost read above: a failure cost written meanwhile is not overwritten unseen.
    await requeue(
      { AND: [retriable, { costUsd: row.costUsd }] },
      { costEstimateUsd: cost.unitUsd(row.targetId), priorCostUsd: row.costUsd ?? row.priorCostUsd },
    );
    return cost.estimate.warnings;
  });
  void notifyVariationChanged(input.variationId);
  wakeWorker();
  return { variationId: input.variationId, warnings };
}

/** The retry's write: only if the row is still retriable (a second click loses the race cleanly). */
async function requeue(
  where: Prisma.VariationWhereInput,
  cost: { costEstimateUsd: number | null; priorCostUsd: number | null },
): Promise<void> {
  const { count } = await db().variation.updateMany({
    where,
    data: {
      // The estimate at today's price: what the retry commits against the budget until it finishes.
      ...cost,
      costUsd: null,
      costSource: null,
      status: 'queued',
      attempt: 0,
      generation: { increment: 1 },
      recoveries: 0,
      jobId: null,
      jobHandle: null,
      result: null,
      leaseOwner: null,
      leaseToken: null,
      leaseUntil: null,
      errorCode: null,
      errorMessage: null,
      blockKind: null,
      vendorRequestId: null,
      notBefore: null,
      queuedAt: new Date(),
      startedAt: null,
      submittedAt: null,
      finishedAt: null,
      outputAssetId: null,
    },
  });
  if (count === 0) throw new AppError('conflict', 'Only failed or cancelled variations can be retried.');
}

/** Re-run exactly: same references, instruction, parameters, targets and seeds, as a new run. */
export const rerunSchema = z.object({ runId: z.string().min(1).max(64) });

export async function rerunExactly(ctx: Ctx, input: z.output<typeof rerunSchema>): Promise<SubmitResult> {
  const run = await db().run.findFirst({
    where: { id: input.runId, deletedAt: null, ...inWorkspace.run(ctx) },
    include: { references: { orderBy: { position: 'asc' } } },
  });
  if (!run) throw new AppError('not_found', 'That run no longer exists.');
  const params = decode.params(run.params);
  return submitRun(
    ctx,
    submitRunSchema.parse({
      sessionId: run.sessionId,
      instruction: run.instruction,
      negativePrompt: run.negativePrompt,
      referenceIds: run.references.map((r) => r.assetId),
      targets: decode.targets(run.targets),
      ...params,
      parentVariationId: run.parentVariationId ?? undefined,
      sourceRunId: run.id,
      sourceKind: 'rerun',
    }),
  );
}

const RUNS_PAGE_SIZE = 4; // a screen or three of cards, server-rendered on every visit; the rest loads as the feed scrolls
export const listRunsSchema = z.object({ sessionId: z.string().min(1).max(64), cursor: z.string().min(1).max(64).optional() });

/** Newest first, cursor-paginated by run id (createdAt, id order is stable). */
export async function listRuns(ctx: Ctx, input: z.output<typeof listRunsSchema>, limit = RUNS_PAGE_SIZE): Promise<RunPage> {
  await requireSession(ctx, input.sessionId);
  const rows = await db().run.findMany({
    where: { sessionId: input.sessionId, deletedAt: null },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    include: runInclude,
  });
  const page = rows.slice(0, limit);
  return { runs: await withRunReviews(ctx, page.map(runDto)), nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
