import 'server-only';
import { findTarget } from '@/lib/providers/catalog';
import type { LineageDto, LineageRun, ProvenanceDto, ProvenanceStep } from '@/lib/schemas/lineage';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { decode } from '../db/decoders';
import { assetDto, variationDto } from './dto';
import { inWorkspace } from './scope';

const label = (targetId: string) => findTarget(targetId)?.label ?? targetId;

/** Which variation produced each asset (for references that are earlier outputs). */
async function producers(assetIds: string[]): Promise<Map<string, string>> {
  if (assetIds.length === 0) return new Map();
  const rows = await db().variation.findMany({
    where: { outputAssetId: { in: assetIds } },
    orderBy: { finishedAt: 'asc' },
    select: { id: true, outputAssetId: true },
  });
  const map = new Map<string, string>();
  for (const r of rows) if (r.outputAssetId && !map.has(r.outputAssetId)) map.set(r.outputAssetId, r.id);
  return map;
}

/** A session's runs with their references and outputs: the raw material of the lineage tree. */
export async function getLineage(ctx: Ctx, sessionId: string): Promise<LineageDto | undefined> {
  const session = await db().session.findFirst({ where: { id: sessionId, deletedAt: null, ...inWorkspace.session(ctx) }, select: { id: true } });
  if (!session) return undefined;
  const runs = await db().run.findMany({
    where: { sessionId, deletedAt: null },
    orderBy: [{ number: 'asc' }, { createdAt: 'asc' }],
    include: {
      references: { include: { asset: true }, orderBy: { position: 'asc' } },
      variations: { where: { deletedAt: null }, include: { outputAsset: true }, orderBy: [{ targetId: 'asc' }, { index: 'asc' }] },
    },
  });
  const made = await producers([...new Set(runs.flatMap((r) => r.references.map((ref) => ref.assetId)))]);
  return {
    sessionId,
    runs: runs.map(
      (r): LineageRun => ({
        id: r.id,
        number: r.number,
        instruction: r.instruction,
        createdAt: r.createdAt.toISOString(),
        parentVariationId: r.parentVariationId,
        sourceRunId: r.sourceRunId,
        sourceKind: decode.sourceKind(r.sourceKind),
        references: r.references.map((ref) => ({ position: ref.position, asset: assetDto(ref.asset), producedByVariationId: made.get(ref.assetId) ?? null })),
        variations: r.variations.map((v) => ({
          id: v.id,
          index: v.index,
          seed: v.seed,
          status: decode.status(v.status),
          targetId: v.targetId,
          targetLabel: label(v.targetId),
          output: v.outputAsset ? assetDto(v.outputAsset) : null,
          starred: v.starred,
          rating: v.rating,
        })),
      }),
    ),
  };
}

/** Everything about one variation: its run's exact inputs, its facts, and its path to the originals. */
export async function getProvenance(ctx: Ctx, variationId: string): Promise<ProvenanceDto | undefined> {
  const v = await db().variation.findFirst({
    where: { id: variationId, ...inWorkspace.variation(ctx) },
    include: {
      outputAsset: true,
      run: { include: { session: { select: { id: true, title: true } }, references: { include: { asset: true }, orderBy: { position: 'asc' } } } },
    },
  });
  if (!v) return undefined;
  const path: ProvenanceStep[] = [];
  const seen = new Set<string>();
  let current: string | null = variationId;
  // Walk back through "started from" links; each step may also use earlier outputs as references.
  while (current && !seen.has(current) && path.length < 50) {
    seen.add(current);
    const found = await provenanceStep(current);
    if (!found) break;
    path.unshift(found.step);
    current = found.previous;
  }
  const run = v.run;
  return {
    variation: { ...variationDto(v), runId: v.runId, attempt: v.attempt },
    run: {
      id: run.id,
      number: run.number,
      instruction: run.instruction,
      negativePrompt: run.negativePrompt,
      params: decode.params(run.params),
      session: run.session,
      references: run.references.map((r) => ({ position: r.position, asset: assetDto(r.asset) })),
    },
    path,
  };
}

async function provenanceStep(variationId: string): Promise<{ step: ProvenanceStep; previous: string | null } | undefined> {
  const v = await db().variation.findUnique({
    where: { id: variationId },
    include: { outputAsset: true, run: { include: { references: { include: { asset: true }, orderBy: { position: 'asc' } } } } },
  });
  if (!v) return undefined;
  const made = await producers(v.run.references.map((r) => r.assetId));
  const step: ProvenanceStep = {
    variationId: v.id,
    runId: v.runId,
    runNumber: v.run.number,
    instruction: v.run.instruction,
    targetLabel: label(v.targetId),
    seed: v.seed,
    output: v.outputAsset ? assetDto(v.outputAsset) : null,
    references: v.run.references.map((r) => ({ position: r.position, asset: assetDto(r.asset), producedByVariationId: made.get(r.assetId) ?? null })),
  };
  const fromReference = v.run.references.map((r) => made.get(r.assetId)).find((id) => id && id !== v.id) ?? null;
  return { step, previous: v.run.parentVariationId ?? fromReference };
}
