import 'server-only';
import { z } from 'zod';
import { LINEAGE_PAGE, countDescendants, indexTree, sliceLineage, type SliceOptions } from '@/lib/lineage/slice';
import { buildLineageTree, type LineageLinks } from '@/lib/lineage/tree';
import { findTarget } from '@/lib/providers/catalog';
import type { LineageDto, LineageNodeDto, LineagePage, LineageRun, ProvenanceDto, ProvenanceStep } from '@/lib/schemas/lineage';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { decode } from '../db/decoders';
import { assetDto, variationDto } from './dto';
import { withRunReviews } from './galleries-reviews';
import { inWorkspace } from './scope';

const label = (targetId: string) => findTarget(targetId)?.label ?? targetId;

/**
 * Which variation produced each asset first (for references that are earlier outputs). One
 * indexed lookup per asset: the same bytes can come out of hundreds of variations (the offline
 * engine is deterministic; the large seed reuses two dozen images), and only the first counts.
 */
async function producers(assetIds: string[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const firsts = await Promise.all(
    [...new Set(assetIds)].map((assetId) =>
      db().variation.findFirst({
        where: { outputAssetId: assetId },
        orderBy: { finishedAt: 'asc' },
        select: { id: true, outputAssetId: true },
      }),
    ),
  );
  for (const v of firsts) if (v?.outputAssetId) map.set(v.outputAssetId, v.id);
  return map;
}

/** A session's runs with their references and outputs: the raw material of the lineage tree. */
export async function getLineage(ctx: Ctx, sessionId: string): Promise<LineageDto | undefined> {
  const session = await db().session.findFirst({
    where: { id: sessionId, deletedAt: null, ...inWorkspace.session(ctx) },
    select: { id: true },
  });
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
        references: r.references.map((ref) => ({
          position: ref.position,
          asset: assetDto(ref.asset),
          producedByVariationId: made.get(ref.assetId) ?? null,
        })),
        variations: r.variations.map(lineageVariation),
      }),
    ),
  };
}

export const lineagePageSchema = z.object({
  /** Whose children to list; absent: the session's root runs. */
  expand: z.string().min(1).max(64).optional(),
  /** How many of them the client already holds. */
  cursor: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

type SkeletonRun = LineageLinks & {
  references: { position: number; producedByVariationId: string | null }[];
  variations: { id: string; index: number }[];
};

/**
 * The whole tree from links only (runs, reference assets, variation ids: no text, no images),
 * so a page can be cut from it. A reference counts as an earlier output when a live variation
 * of this session made those bytes (the first to finish); the producer map comes from the same
 * rows, so no query looks across sessions.
 */
async function loadSkeleton(sessionId: string) {
  const live = { sessionId, deletedAt: null };
  const [runs, refs, variations] = await Promise.all([
    db().run.findMany({
      where: live,
      select: { id: true, number: true, createdAt: true, parentVariationId: true, sourceRunId: true, sourceKind: true },
    }),
    db().runReference.findMany({ where: { run: live }, select: { runId: true, position: true, assetId: true } }),
    db().variation.findMany({
      where: { deletedAt: null, run: live },
      select: { id: true, runId: true, index: true, outputAssetId: true, finishedAt: true },
    }),
  ]);
  const producer = new Map<string, { id: string; at: number }>();
  for (const v of variations) {
    if (!v.outputAssetId) continue;
    const at = v.finishedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
    const seen = producer.get(v.outputAssetId);
    if (!seen || at < seen.at) producer.set(v.outputAssetId, { id: v.id, at });
  }
  const byRun = new Map<string, SkeletonRun>(
    runs.map((r) => [
      r.id,
      { ...r, createdAt: r.createdAt.toISOString(), sourceKind: decode.sourceKind(r.sourceKind), references: [], variations: [] },
    ]),
  );
  for (const v of variations) byRun.get(v.runId)?.variations.push({ id: v.id, index: v.index });
  const producedBy = (assetId: string) => producer.get(assetId)?.id ?? null;
  for (const ref of refs) byRun.get(ref.runId)?.references.push({ position: ref.position, producedByVariationId: producedBy(ref.assetId) });
  const owner = new Map<string, { runNumber: number; index: number }>();
  for (const v of variations) owner.set(v.id, { runNumber: byRun.get(v.runId)!.number, index: v.index });
  return { runs: [...byRun.values()], producedBy, owner };
}

/**
 * One page of a session's lineage tree: the roots newest first (or the children of `expand`)
 * from `cursor` on, depth first, a few children per branching run and deep branches collapsed
 * (lib/lineage/slice.ts), each run with its references and thumbnails. Undefined when the
 * session is not the caller's; `expand` naming no live run of it gives an empty page.
 */
export async function getLineagePage(
  ctx: Ctx,
  input: { sessionId: string } & Partial<z.output<typeof lineagePageSchema>>,
  options: SliceOptions = LINEAGE_PAGE,
): Promise<LineagePage | undefined> {
  const { sessionId } = input;
  const session = await db().session.findFirst({
    where: { id: sessionId, deletedAt: null, ...inWorkspace.session(ctx) },
    select: { id: true },
  });
  if (!session) return undefined;
  const skeleton = await loadSkeleton(sessionId);
  const roots = buildLineageTree(skeleton);
  const start = { expand: input.expand ?? null, cursor: input.cursor ?? 0 };
  const slice = sliceLineage(roots, start, options, indexTree(roots));
  const page: LineagePage = { sessionId, ...start, siblings: slice?.siblings ?? 0, totalRuns: skeleton.runs.length, nodes: [] };
  if (!slice || slice.entries.length === 0) return page;

  const ids = slice.entries.map((e) => e.node.run.id);
  const rows = await db().run.findMany({
    where: { id: { in: ids }, sessionId, deletedAt: null },
    select: {
      id: true,
      instruction: true,
      references: { select: { position: true, assetId: true, asset: { select: assetSelect } }, orderBy: { position: 'asc' } },
      variations: {
        where: { deletedAt: null },
        select: {
          id: true,
          index: true,
          seed: true,
          status: true,
          targetId: true,
          starred: true,
          rating: true,
          outputAsset: { select: assetSelect },
        },
        orderBy: [{ targetId: 'asc' }, { index: 'asc' }],
      },
    },
  });
  const details = new Map(rows.map((r) => [r.id, r]));
  const descendants = countDescendants(roots);
  page.nodes = slice.entries.flatMap(({ node, index }): LineageNodeDto[] => {
    const r = details.get(node.run.id);
    if (!r) return []; // deleted between the two reads
    const links = node.run;
    return [
      {
        run: {
          id: links.id,
          number: links.number,
          instruction: r.instruction,
          createdAt: links.createdAt,
          parentVariationId: links.parentVariationId,
          sourceRunId: links.sourceRunId,
          sourceKind: links.sourceKind,
          references: r.references.map((ref) => {
            const by = skeleton.producedBy(ref.assetId);
            return {
              position: ref.position,
              asset: assetDto(ref.asset),
              producedByVariationId: by,
              producer: by ? (skeleton.owner.get(by) ?? null) : null,
            };
          }),
          variations: r.variations.map(lineageVariation),
        },
        edge: node.edge,
        index,
        childCount: node.children.length,
        descendants: descendants.get(node.run.id) ?? 0,
      },
    ];
  });
  const reviewed = await withRunReviews(
    ctx,
    page.nodes.map((n) => n.run),
  );
  page.nodes = page.nodes.map((n, i) => ({ ...n, run: reviewed[i]! }));
  return page;
}

const assetSelect = { id: true, sha256: true, mime: true, width: true, height: true } as const;

/** Everything about one variation: its run's exact inputs, its facts, and its path to the originals. */
export async function getProvenance(ctx: Ctx, variationId: string): Promise<ProvenanceDto | undefined> {
  const v = await db().variation.findFirst({
    where: { id: variationId, ...inWorkspace.variation(ctx) },
    include: {
      outputAsset: true,
      run: {
        include: { session: { select: { id: true, title: true } }, references: { include: { asset: true }, orderBy: { position: 'asc' } } },
      },
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
    references: v.run.references.map((r) => ({
      position: r.position,
      asset: assetDto(r.asset),
      producedByVariationId: made.get(r.assetId) ?? null,
    })),
  };
  const fromReference = v.run.references.map((r) => made.get(r.assetId)).find((id) => id && id !== v.id) ?? null;
  return { step, previous: v.run.parentVariationId ?? fromReference };
}

type LineageVariationRow = {
  id: string;
  index: number;
  seed: number;
  status: string;
  targetId: string;
  outputAsset: { id: string; sha256: string; mime: string; width: number; height: number } | null;
  starred: boolean;
  rating: number | null;
};

/** One variation as the lineage tree shows it: thumbnail facts only. */
function lineageVariation(v: LineageVariationRow) {
  return {
    id: v.id,
    index: v.index,
    seed: v.seed,
    status: decode.status(v.status),
    targetId: v.targetId,
    targetLabel: label(v.targetId),
    output: v.outputAsset ? assetDto(v.outputAsset) : null,
    starred: v.starred,
    rating: v.rating,
  };
}
