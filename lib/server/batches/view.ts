import 'server-only';
import { z } from 'zod';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { notFound } from '../errors';
import { parallelismFor, type BatchItemStatus, type BatchStatus } from '../services/batches';

export const batchFilterSchema = z.enum(['all', 'failed', 'flagged', 'unreviewed']).default('all');
export type BatchFilter = z.output<typeof batchFilterSchema>;

export type BatchVariationView = {
  id: string;
  targetId: string;
  status: string;
  seed: number;
  costUsd: number | null;
  outputUrl: string | null;
  /** For the studio's thumbnails (/api/assets/<sha>/thumb). */
  outputSha: string | null;
  errorCode: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  reviewed: boolean;
};

export type BatchItemView = {
  id: string;
  position: number;
  referenceId: string;
  referenceSha: string | null;
  fileName: string;
  status: BatchItemStatus;
  runId: string | null;
  attempts: number;
  error: string | null;
  variations: BatchVariationView[];
};

export type BatchProgress = { total: number; done: number; failed: number; running: number };

export type BatchView = {
  id: string;
  sessionId: string;
  instruction: string;
  targets: string[];
  status: BatchStatus;
  createdAt: string;
  progress: BatchProgress;
  etaSeconds: number | null;
  items: BatchItemView[];
};

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median item time × items left ÷ how many run at once; unknown until an item has finished. */
export function etaSeconds(itemDurationsMs: readonly number[], remaining: number, parallelism: number): number | null {
  if (remaining <= 0) return 0;
  const m = median(itemDurationsMs);
  if (m === null) return null;
  return Math.ceil((m * remaining) / Math.max(1, parallelism) / 1000);
}

export function progressOf(items: readonly { status: string }[]): BatchProgress {
  const count = (s: string) => items.filter((i) => i.status === s).length;
  return { total: items.length, done: count('done'), failed: count('failed'), running: count('submitted') };
}

/** An item needs a look when one of its variations failed or was refused (content policy). */
export function isFlagged(item: Pick<BatchItemView, 'variations'>): boolean {
  return item.variations.some((v) => v.status === 'failed' || v.errorCode === 'content_policy');
}

export function isUnreviewed(item: Pick<BatchItemView, 'variations'>): boolean {
  return item.variations.length > 0 && !item.variations.some((v) => v.reviewed);
}

export function applyFilter(items: BatchItemView[], filter: BatchFilter): BatchItemView[] {
  if (filter === 'failed') return items.filter((i) => i.status === 'failed');
  if (filter === 'flagged') return items.filter(isFlagged);
  if (filter === 'unreviewed') return items.filter(isUnreviewed);
  return items;
}

/** The batch with every item and its current run's variations (hundreds of rows: one query each). */
export async function getBatchView(ctx: Ctx, batchId: string, filter: BatchFilter = 'all'): Promise<BatchView> {
  const batch = await db().batch.findFirst({
    where: { id: batchId, workspaceId: ctx.workspaceId },
    include: { items: { orderBy: { position: 'asc' } } },
  });
  if (!batch) throw notFound('That batch does not exist.');
  const runIds = batch.items.flatMap((i) => (i.runId ? [i.runId] : []));
  const [variations, refs] = await Promise.all([
    runIds.length
      ? db().variation.findMany({
          where: { runId: { in: runIds }, deletedAt: null },
          orderBy: [{ runId: 'asc' }, { index: 'asc' }],
          include: { outputAsset: { select: { sha256: true } } },
        })
      : [],
    db().asset.findMany({ where: { id: { in: batch.items.map((i) => i.referenceAssetId) } }, select: { id: true, sha256: true } }),
  ]);
  const shaOf = new Map(refs.map((a) => [a.id, a.sha256]));
  const byRun = new Map<string, typeof variations>();
  for (const v of variations) byRun.set(v.runId, [...(byRun.get(v.runId) ?? []), v]);

  const items: BatchItemView[] = batch.items.map((i) => ({
    id: i.id,
    position: i.position,
    referenceId: i.referenceAssetId,
    referenceSha: shaOf.get(i.referenceAssetId) ?? null,
    fileName: i.fileName,
    status: i.status as BatchItemStatus,
    runId: i.runId,
    attempts: i.attempts,
    error: i.error,
    variations: (i.runId ? (byRun.get(i.runId) ?? []) : []).map((v) => ({
      id: v.id,
      targetId: v.targetId,
      status: v.status,
      seed: v.seed,
      costUsd: v.costUsd,
      outputUrl: v.outputAsset ? `/api/v1/runs/${v.runId}/variations/${v.id}/output` : null,
      outputSha: v.outputAsset?.sha256 ?? null,
      errorCode: v.errorCode,
      startedAt: v.startedAt?.toISOString() ?? null,
      finishedAt: v.finishedAt?.toISOString() ?? null,
      reviewed: v.starred || v.rating !== null,
    })),
  }));

  const targets = z.array(z.string()).parse(JSON.parse(batch.targets));
  const durations = items.flatMap((i) => {
    if (i.status !== 'done') return [];
    const starts = i.variations.flatMap((v) => (v.startedAt ? [Date.parse(v.startedAt)] : []));
    const ends = i.variations.flatMap((v) => (v.finishedAt ? [Date.parse(v.finishedAt)] : []));
    return starts.length && ends.length ? [Math.max(...ends) - Math.min(...starts)] : [];
  });
  const progress = progressOf(items);
  const remaining = items.filter((i) => i.status === 'pending' || i.status === 'submitted').length;
  return {
    id: batch.id,
    sessionId: batch.sessionId,
    instruction: batch.instruction,
    targets,
    status: batch.status as BatchStatus,
    createdAt: batch.createdAt.toISOString(),
    progress,
    etaSeconds: batch.status === 'cancelled' ? null : etaSeconds(durations, remaining, parallelismFor(targets)),
    items: applyFilter(items, filter),
  };
}

export type ManifestRow = {
  inputFile: string;
  outputFile: string;
  target: string;
  seed: number | null;
  costUsd: number | null;
  seconds: number | null;
  status: string;
};

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);

/** One row per variation (or per item without a run): what the export zip's manifests list. */
export function manifestRows(items: readonly BatchItemView[], extOf: (sha: string) => string = () => 'png'): ManifestRow[] {
  return items.flatMap((item): ManifestRow[] => {
    if (item.variations.length === 0) {
      return [{ inputFile: item.fileName, outputFile: '', target: '', seed: null, costUsd: null, seconds: null, status: item.status }];
    }
    const base = safeName(item.fileName.replace(/\.[^.]+$/, '')) || `item-${item.position + 1}`;
    return item.variations.map((v, n) => ({
      inputFile: item.fileName,
      outputFile: v.outputSha
        ? `outputs/${String(item.position + 1).padStart(4, '0')}-${base}-${safeName(v.targetId)}-${n + 1}.${extOf(v.outputSha)}`
        : '',
      target: v.targetId,
      seed: v.seed,
      costUsd: v.costUsd,
      seconds: v.startedAt && v.finishedAt ? Math.round((Date.parse(v.finishedAt) - Date.parse(v.startedAt)) / 100) / 10 : null,
      status: v.status,
    }));
  });
}

const csvCell = (value: unknown) => {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function manifestCsv(rows: readonly ManifestRow[]): string {
  const header = ['input_file', 'output_file', 'target', 'seed', 'cost_usd', 'seconds', 'status'];
  const lines = rows.map((r) => [r.inputFile, r.outputFile, r.target, r.seed, r.costUsd, r.seconds, r.status].map(csvCell).join(','));
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

export type BatchSummary = { id: string; instruction: string; status: BatchStatus; createdAt: string; total: number };

/** The workspace's batches, newest first. */
export async function listBatches(ctx: Ctx, take = 50): Promise<BatchSummary[]> {
  const rows = await db().batch.findMany({
    where: { workspaceId: ctx.workspaceId },
    orderBy: { createdAt: 'desc' },
    take,
    include: { _count: { select: { items: true } } },
  });
  return rows.map((b) => ({
    id: b.id,
    instruction: b.instruction,
    status: b.status as BatchStatus,
    createdAt: b.createdAt.toISOString(),
    total: b._count.items,
  }));
}
