import 'server-only';
import type { z } from 'zod';
import type { ItemKind, itemsSchema } from '@/lib/schemas/history';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { decode } from '../db/decoders';
import { env } from '../env';
import { AppError } from '../errors';
import { releaseAssets } from '../jobs/garbage';
import { inWorkspace } from './scope';

const DAY = 86_400_000;

/**
 * Deleting for real, from the Trash ("Delete permanently") or when the retention period is
 * over. Rows go child first (tray items and variations, then references and runs, then
 * drafts and sessions), each step one batch transaction: never `$transaction(async tx => …)`,
 * which on the one shared SQLite connection could roll back unrelated writes (hardening Q4).
 * A crash between steps leaves a consistent, partly emptied item still in the Trash, finished
 * by the next purge. The images nothing points to afterwards are deleted with their blobs.
 */

export type PurgeReport = { sessions: number; runs: number; variations: number; assets: number; blobs: number };

/** Purges items of the caller's workspace that are in the Trash; anything else is "not found". */
export async function purge(ctx: Ctx, input: z.output<typeof itemsSchema>): Promise<{ count: number }> {
  const ids = await trashedIds(ctx, input.kind, input.ids);
  if (ids.length === 0) {
    throw new AppError(
      'not_found',
      input.ids.length === 1 ? 'That item is no longer in the trash.' : 'None of the selected items are in the trash any more.',
    );
  }
  const assets = new Set<string>();
  await PURGE[input.kind](ids, assets);
  await releaseAssets([...assets]);
  return { count: ids.length };
}

/** Everything deleted more than TRASH_RETENTION_DAYS ago, in every workspace (the maintenance job). */
export async function purgeExpired(now = new Date(), retentionDays = env().TRASH_RETENTION_DAYS): Promise<PurgeReport> {
  const deletedAt = { lt: new Date(now.getTime() - retentionDays * DAY) };
  const assets = new Set<string>();
  const report: PurgeReport = { sessions: 0, runs: 0, variations: 0, assets: 0, blobs: 0 };
  report.sessions = await inPages(
    (gt) => db().session.findMany({ where: { id: { gt }, deletedAt }, ...PAGE }),
    (ids) => purgeSessions(ids, assets),
  );
  report.runs = await inPages(
    (gt) => db().run.findMany({ where: { id: { gt }, deletedAt }, ...PAGE }),
    (ids) => purgeRuns(ids, assets),
  );
  report.variations = await inPages(
    (gt) => db().variation.findMany({ where: { id: { gt }, deletedAt }, ...PAGE }),
    (ids) => purgeVariations(ids, assets),
  );
  const released = await releaseAssets([...assets]);
  return { ...report, ...released };
}

async function trashedIds(ctx: Ctx, kind: ItemKind, ids: string[]): Promise<string[]> {
  const where = { id: { in: ids }, deletedAt: { not: null } };
  const select = { id: true } as const;
  const rows =
    kind === 'session'
      ? await db().session.findMany({ where: { ...where, ...inWorkspace.session(ctx) }, select })
      : kind === 'run'
        ? await db().run.findMany({ where: { ...where, ...inWorkspace.run(ctx) }, select })
        : await db().variation.findMany({ where: { ...where, ...inWorkspace.variation(ctx) }, select });
  return rows.map((r) => r.id);
}

const PURGE: Record<ItemKind, (ids: string[], assets: Set<string>) => Promise<number>> = {
  session: (ids, assets) => purgeSessions(ids, assets),
  run: (ids, assets) => purgeRuns(ids, assets),
  variation: (ids, assets) => purgeVariations(ids, assets),
};

/** Sessions with their runs and draft; the images they pointed to are added to `assets`. */
async function purgeSessions(ids: string[], assets: Set<string>): Promise<number> {
  let count = 0;
  for (const chunk of chunks(ids, 20)) {
    const runs = await db().run.findMany({ where: { sessionId: { in: chunk } }, select: { id: true } });
    await purgeRuns(
      runs.map((r) => r.id),
      assets,
    );
    const drafts = await db().draft.findMany({ where: { sessionId: { in: chunk } }, select: { data: true } });
    for (const d of drafts) for (const ref of decode.draft(d.data).references) assets.add(ref.id);
    const [, sessions] = await db().$transaction([
      db().draft.deleteMany({ where: { sessionId: { in: chunk } } }),
      db().session.deleteMany({ where: { id: { in: chunk } } }),
    ]);
    count += sessions.count;
  }
  return count;
}

/** Runs with their variations and references. */
async function purgeRuns(ids: string[], assets: Set<string>): Promise<number> {
  let count = 0;
  for (const chunk of chunks(ids, 100)) {
    const [refs, variations] = await Promise.all([
      db().runReference.findMany({ where: { runId: { in: chunk } }, select: { assetId: true } }),
      db().variation.findMany({ where: { runId: { in: chunk } }, select: { id: true } }),
    ]);
    for (const r of refs) assets.add(r.assetId);
    await purgeVariations(
      variations.map((v) => v.id),
      assets,
    );
    const [, runs] = await db().$transaction([
      db().runReference.deleteMany({ where: { runId: { in: chunk } } }),
      db().run.deleteMany({ where: { id: { in: chunk } } }),
    ]);
    count += runs.count;
  }
  return count;
}

/**
 * Variations, and the tray and gallery items taken from them (the image goes with the variation). Runs
 * forked from one keep their content; the foreign key clears their parent link.
 */
async function purgeVariations(ids: string[], assets: Set<string>): Promise<number> {
  let count = 0;
  for (const chunk of chunks(ids, 500)) {
    const outputs = await db().variation.findMany({
      where: { id: { in: chunk }, outputAssetId: { not: null } },
      select: { outputAssetId: true },
    });
    for (const o of outputs) assets.add(o.outputAssetId!);
    const [, , variations] = await db().$transaction([
      db().trayItem.deleteMany({ where: { variationId: { in: chunk } } }),
      db().galleryItem.deleteMany({ where: { variationId: { in: chunk } } }),
      db().variation.deleteMany({ where: { id: { in: chunk } } }),
    ]);
    count += variations.count;
  }
  return count;
}

const PAGE = { select: { id: true }, orderBy: { id: 'asc' }, take: 200 } as const;

/** Keyset pages of ids (`id > last`), so rows removed along the way never end the walk early. */
async function inPages(page: (gt: string) => Promise<{ id: string }[]>, each: (ids: string[]) => Promise<number>): Promise<number> {
  let total = 0;
  for (let last = ''; ; ) {
    const rows = await page(last);
    if (rows.length === 0) return total;
    last = rows.at(-1)!.id;
    total += await each(rows.map((r) => r.id));
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
