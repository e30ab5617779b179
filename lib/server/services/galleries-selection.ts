import 'server-only';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { inWorkspace } from './scope';

export type Selection = { variationIds: string[]; items: { assetId: string; variationId?: string }[] };
export type Entry = { assetId: string; variationId: string | null };

/**
 * Turns a selection into gallery entries, in the order given, one per image. A variation counts
 * only when it is the caller's, live and succeeded with an output; a bare image only when the
 * workspace already holds it (an output or reference of its runs, or in its tray), so an asset
 * id guessed from elsewhere never reaches a gallery, nor through it a review link.
 */
export async function resolveSelection(ctx: Ctx, sel: Selection): Promise<{ entries: Entry[]; skipped: number }> {
  const variationIds = [...sel.variationIds, ...sel.items.flatMap((i) => (i.variationId ? [i.variationId] : []))];
  const finished = await db().variation.findMany({
    where: {
      id: { in: variationIds },
      deletedAt: null,
      status: 'succeeded',
      outputAssetId: { not: null },
      run: { deletedAt: null, session: { workspaceId: ctx.workspaceId, deletedAt: null } },
    },
    select: { id: true, outputAssetId: true },
  });
  const outputOf = new Map(finished.map((v) => [v.id, v.outputAssetId!]));
  const bare = sel.items.filter((i) => !(i.variationId && outputOf.get(i.variationId) === i.assetId)).map((i) => i.assetId);
  const held = await heldAssets(ctx, bare);

  const entries: Entry[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  const push = (e: Entry | null) => {
    if (!e) skipped++;
    else if (!seen.has(e.assetId)) {
      seen.add(e.assetId);
      entries.push(e);
    }
  };
  for (const id of sel.variationIds) {
    const assetId = outputOf.get(id);
    push(assetId ? { assetId, variationId: id } : null);
  }
  for (const item of sel.items) {
    if (item.variationId && outputOf.get(item.variationId) === item.assetId) push({ assetId: item.assetId, variationId: item.variationId });
    else push(held.has(item.assetId) ? { assetId: item.assetId, variationId: null } : null);
  }
  return { entries, skipped };
}

async function heldAssets(ctx: Ctx, assetIds: string[]): Promise<Set<string>> {
  if (assetIds.length === 0) return new Set();
  const [assets, tray] = await Promise.all([
    db().asset.findMany({
      where: {
        id: { in: assetIds },
        OR: [{ outputs: { some: inWorkspace.variation(ctx) } }, { references: { some: { run: inWorkspace.run(ctx) } } }],
      },
      select: { id: true },
    }),
    db().trayItem.findMany({ where: { assetId: { in: assetIds }, ...inWorkspace.tray(ctx) }, select: { assetId: true } }),
  ]);
  return new Set([...assets.map((a) => a.id), ...tray.map((t) => t.assetId)]);
}
