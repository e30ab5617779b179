import 'server-only';
import type { ProvenancePayload } from '@/lib/schemas/export';
import { PROVENANCE_VERSION } from '@/lib/schemas/export';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { decode } from '../db/decoders';
import { AppError, notFound } from '../errors';
import { inWorkspace } from '../services/scope';
import { type ItemReview, reviewsFor } from './reviews';

/** One image of an export, with everything its manifest entry and embedded payload need. */
export type ExportEntry = {
  fileName: string;
  asset: { sha256: string; mime: string; width: number; height: number };
  caption: string;
  variation: ExportVariation | null;
  review: ItemReview;
};

type ExportVariation = {
  variationId: string;
  runId: string;
  runNumber: number;
  sessionId: string;
  instruction: string;
  negativePrompt: string;
  parameters: Record<string, string | number | boolean | null>;
  provider: string;
  model: string;
  targetId: string;
  seed: number;
  references: { position: number; sha256: string; role: string }[];
  parentVariationId: string | null;
  cost: { usd: number | null; source: string | null; estimateUsd: number | null };
  createdAt: string;
};

export type ExportPlan = {
  source: { kind: 'gallery'; galleryId: string; title: string; description: string } | { kind: 'selection' };
  entries: ExportEntry[];
  comments: ItemReview['comments'];
  zipName: string;
};

const variationInclude = {
  outputAsset: true,
  run: { include: { references: { orderBy: { position: 'asc' }, include: { asset: { select: { sha256: true } } } } } },
} as const;

type VariationRow = NonNullable<Awaited<ReturnType<typeof loadVariations>>[number]>;

function loadVariations(ctx: Ctx, ids: string[]) {
  return db().variation.findMany({ where: { id: { in: ids }, ...inWorkspace.variation(ctx) }, include: variationInclude });
}

function toVariation(v: VariationRow): ExportVariation {
  const params = decode.params(v.run.params);
  return {
    variationId: v.id,
    runId: v.runId,
    runNumber: v.run.number,
    sessionId: v.run.sessionId,
    instruction: v.run.instruction,
    negativePrompt: v.run.negativePrompt,
    // The run's parameters with this variation's own seed (each variation of a run has one) and
    // its target's vendor safety setting (null: the vendor's default).
    parameters: { ...params, safety: params.safety?.[v.targetId] ?? null, seed: v.seed },
    provider: v.provider,
    model: v.model,
    targetId: v.targetId,
    seed: v.seed,
    references: v.run.references.map((r) => ({ position: r.position, sha256: r.asset.sha256, role: r.role })),
    parentVariationId: v.run.parentVariationId,
    cost: { usd: v.costUsd, source: v.costSource, estimateUsd: v.costEstimateUsd },
    createdAt: v.run.createdAt.toISOString(),
  };
}

/** Only exports for the owner: a share link's viewer or an API token gets nothing here. */
function requireOwner(ctx: Ctx): void {
  if (ctx.actor.kind !== 'owner') throw new AppError('forbidden', 'Only the studio owner can export.');
}

/** A gallery, in its order, with its reviews. Deleted or another workspace's: not found. */
export async function planGalleryExport(ctx: Ctx, galleryId: string): Promise<ExportPlan> {
  requireOwner(ctx);
  const gallery = await db().gallery.findFirst({
    where: { id: galleryId, workspaceId: ctx.workspaceId, deletedAt: null },
    include: { items: { orderBy: [{ position: 'asc' }, { addedAt: 'asc' }] } },
  });
  if (!gallery) throw notFound('That gallery does not exist.');
  if (gallery.items.length === 0) throw new AppError('invalid_input', 'The gallery is empty: add images before exporting.');
  const assets = new Map((await db().asset.findMany({ where: { id: { in: gallery.items.map((i) => i.assetId) } } })).map((a) => [a.id, a]));
  const variationIds = gallery.items.flatMap((i) => (i.variationId ? [i.variationId] : []));
  const variations = new Map((await loadVariations(ctx, variationIds)).map((v) => [v.id, v]));
  const reviews = await reviewsFor(new Map(gallery.items.map((i) => [i.id, [i.id]])), { galleryIds: [gallery.id], selection: false });
  const width = Math.max(2, String(gallery.items.length).length);
  const entries: ExportEntry[] = [];
  for (const item of gallery.items) {
    const asset = assets.get(item.assetId);
    if (!asset) continue;
    const v = item.variationId ? variations.get(item.variationId) : undefined;
    const variation = v ? toVariation(v) : null;
    entries.push({
      fileName: fileName(entries.length + 1, width, asset.mime, variation, asset.sha256),
      asset,
      caption: item.caption,
      variation,
      review: reviews.items.get(item.id) ?? emptyReview(),
    });
  }
  return {
    source: { kind: 'gallery', galleryId: gallery.id, title: gallery.title, description: gallery.description },
    entries,
    comments: reviews.galleryComments,
    zipName: `proofsheet-${slug(gallery.title) || 'gallery'}-${day()}.zip`,
  };
}

/**
 * Any variations of this workspace that have an output, in the order given. Reviews come from
 * every gallery of the workspace that holds them. Anything missing refuses the whole export
 * before a byte is sent, so a zip is never silently short.
 */
export async function planSelectionExport(ctx: Ctx, ids: string[]): Promise<ExportPlan> {
  requireOwner(ctx);
  const rows = new Map((await loadVariations(ctx, ids)).map((v) => [v.id, v]));
  const missing = ids.filter((id) => !rows.get(id)?.outputAsset);
  if (missing.length > 0) {
    throw notFound(
      missing.length === ids.length
        ? 'None of the selected variations has an image to export.'
        : `${missing.length} of the selected variations ${missing.length === 1 ? 'has' : 'have'} no image to export (not found, or not finished).`,
    );
  }
  const items = await db().galleryItem.findMany({
    where: { variationId: { in: ids }, gallery: { workspaceId: ctx.workspaceId, deletedAt: null } },
    select: { id: true, variationId: true, galleryId: true },
  });
  const byVariation = new Map<string, string[]>();
  for (const it of items) byVariation.set(it.variationId!, [...(byVariation.get(it.variationId!) ?? []), it.id]);
  const reviews = await reviewsFor(byVariation, {
    galleryIds: [...new Set(items.map((i) => i.galleryId))],
    selection: true,
  });
  const width = Math.max(2, String(ids.length).length);
  const entries = ids.map((id, i): ExportEntry => {
    const v = rows.get(id)!;
    const variation = toVariation(v);
    return {
      fileName: fileName(i + 1, width, v.outputAsset!.mime, variation, v.outputAsset!.sha256),
      asset: v.outputAsset!,
      caption: '',
      variation,
      review: reviews.items.get(id) ?? emptyReview(),
    };
  });
  return { source: { kind: 'selection' }, entries, comments: [], zipName: `proofsheet-selection-${ids.length}-${day()}.zip` };
}

/** The payload embedded in the exported image. */
export function payloadFor(v: ExportVariation, outputSha256: string): ProvenancePayload {
  return {
    proofsheet: PROVENANCE_VERSION,
    variationId: v.variationId,
    runId: v.runId,
    sessionId: v.sessionId,
    instruction: v.instruction,
    negativePrompt: v.negativePrompt,
    provider: v.provider,
    model: v.model,
    targetId: v.targetId,
    seed: v.seed,
    parameters: v.parameters,
    references: v.references.map((r) => r.sha256),
    parentVariationId: v.parentVariationId,
    outputSha256,
  };
}

function emptyReview(): ItemReview {
  return { verdicts: [], verdictHistory: [], comments: [] };
}

/** `01-openai-gpt-image-1-ab12cd34.png`: gallery order first, so a file browser keeps it. */
function fileName(n: number, width: number, mime: string, v: ExportVariation | null, sha: string): string {
  const ext = mime === 'image/jpeg' ? 'jpg' : mime === 'image/webp' ? 'webp' : 'png';
  const index = String(n).padStart(width, '0');
  if (!v) return `${index}-upload-${sha.slice(0, 8)}.${ext}`;
  const short = v.variationId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8);
  return `${index}-${slug(v.provider) || 'provider'}-${slug(v.model) || 'model'}-${short}.${ext}`;
}

/** Lower-case ASCII letters, digits and single dashes: safe in a zip entry and a header. */
export function slug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

function day(): string {
  return new Date().toISOString().slice(0, 10);
}
