import 'server-only';
import { randomInt } from 'node:crypto';
import type { ApiCreateRun, ApiRun } from '@/lib/schemas/api';
import { isTerminal, MAX_SEED, submitRunSchema, type RunDto } from '@/lib/schemas/run';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { notFound } from '../errors';
import { serveAsset } from '../serve-asset';
import { runDto, runInclude } from '../services/dto';
import { submitRun } from '../services/runs';
import { inWorkspace } from '../services/scope';
import { createSession } from '../services/sessions';
import { cancelVariations } from '../services/variations';

/** The API's view of a run: the studio's DTO, with a download URL on each output. */
export function apiRunView(run: RunDto): ApiRun {
  return {
    id: run.id,
    sessionId: run.sessionId,
    number: run.number,
    instruction: run.instruction,
    negativePrompt: run.negativePrompt,
    parameters: { ...run.params },
    targets: run.targets,
    referenceIds: run.references.map((r) => r.asset.id),
    createdAt: run.createdAt,
    finished: run.variations.every((v) => isTerminal(v.status)),
    variations: run.variations.map((v) => ({
      id: v.id,
      targetId: v.targetId,
      provider: v.provider,
      model: v.model,
      index: v.index,
      seed: v.seed,
      status: v.status,
      errorCode: v.errorCode,
      errorMessage: v.errorMessage,
      blockKind: v.blockKind ?? null,
      vendorRequestId: v.vendorRequestId ?? null,
      costUsd: v.costUsd,
      queuedAt: v.queuedAt,
      finishedAt: v.finishedAt,
      output: v.output,
      outputUrl: v.output ? `/api/v1/runs/${run.id}/variations/${v.id}/output` : null,
    })),
  };
}

/** Through submitRun, like the composer: every rule of the studio (targets, budgets, limits) holds. */
export async function createApiRun(ctx: Ctx, input: ApiCreateRun): Promise<ApiRun> {
  const sessionId = input.sessionId ?? (await createSession(ctx, { title: input.instruction.slice(0, 80) }));
  const p = input.parameters ?? {};
  const submitted = await submitRun(
    ctx,
    submitRunSchema.parse({
      sessionId,
      instruction: input.instruction,
      negativePrompt: input.negativePrompt ?? '',
      referenceIds: input.referenceIds,
      targets: input.targets,
      count: input.count,
      seed: p.seed ?? randomInt(0, MAX_SEED),
      size: p.size,
      format: p.format,
      strength: p.strength,
      guidance: p.guidance,
      safety: p.safety,
    }),
  );
  const { totalUsd, unknownTargets, warnings } = submitted.estimate;
  return { ...(await getApiRun(ctx, submitted.runId)), costEstimate: { totalUsd, unknownTargets, warnings } };
}

export async function getApiRun(ctx: Ctx, runId: string): Promise<ApiRun> {
  const row = await db().run.findFirst({ where: { id: runId, deletedAt: null, ...inWorkspace.run(ctx) }, include: runInclude });
  if (!row) throw notFound('That run does not exist.');
  return apiRunView(runDto(row));
}

export async function cancelApiRun(ctx: Ctx, runId: string): Promise<{ cancelled: number }> {
  const run = await getApiRun(ctx, runId);
  const open = run.variations.filter((v) => !isTerminal(v.status)).map((v) => v.id);
  if (open.length === 0) return { cancelled: 0 };
  const { count } = await cancelVariations(ctx, { variationIds: open });
  return { cancelled: count };
}

/** The original bytes of one output, only through a run of the caller's workspace. */
export async function downloadOutput(ctx: Ctx, request: Request, runId: string, variationId: string): Promise<Response> {
  const v = await db().variation.findFirst({
    where: { id: variationId, runId, deletedAt: null, run: { deletedAt: null }, ...inWorkspace.variation(ctx) },
    select: { outputAsset: { select: { sha256: true } } },
  });
  if (!v?.outputAsset) throw notFound('That variation has no output.');
  return serveAsset(request, v.outputAsset.sha256, 'original');
}
