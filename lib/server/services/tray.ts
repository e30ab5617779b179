import 'server-only';
import { findTarget } from '@/lib/providers/catalog';
import type { CompareCandidate } from '@/lib/schemas/compare';
import { trayAddSchema } from '@/lib/schemas/history';
import type { z } from 'zod';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { decode } from '../db/decoders';
import { AppError } from '../errors';
import { newId } from '../ids';
import { assetDto } from './dto';
import { inWorkspace } from './scope';

export const trayRemoveSchema = trayAddSchema.shape.items.element.pick({ assetId: true }).array().min(1).max(200);

/** The compare tray lives on the server, like everything else the user sets aside. */
export async function addToTray(ctx: Ctx, input: z.output<typeof trayAddSchema>): Promise<{ count: number }> {
  const assets = await db().asset.findMany({ where: { id: { in: input.items.map((i) => i.assetId) } }, select: { id: true } });
  const known = new Set(assets.map((a) => a.id));
  // A variation id is kept only when it is the caller's own; otherwise the image is a bare reference.
  const variationIds = input.items.flatMap((i) => (i.variationId ? [i.variationId] : []));
  const own = new Set(
    (await db().variation.findMany({ where: { id: { in: variationIds }, ...inWorkspace.variation(ctx) }, select: { id: true } })).map(
      (v) => v.id,
    ),
  );
  const items = input.items.filter((i) => known.has(i.assetId));
  if (items.length === 0) throw new AppError('not_found', 'Those images no longer exist.');
  // One millisecond apart, in the order given: the tray lists by addedAt, and items added in the
  // same call would otherwise tie and come back in any order.
  const now = Date.now();
  await db().$transaction(
    items.map((i, n) =>
      db().trayItem.upsert({
        where: { workspaceId_assetId: { workspaceId: ctx.workspaceId, assetId: i.assetId } },
        create: {
          id: newId(),
          workspaceId: ctx.workspaceId,
          assetId: i.assetId,
          variationId: i.variationId && own.has(i.variationId) ? i.variationId : null,
          addedAt: new Date(now + n),
        },
        update: {},
      }),
    ),
  );
  return { count: await db().trayItem.count({ where: inWorkspace.tray(ctx) }) };
}

export async function removeFromTray(ctx: Ctx, input: z.output<typeof trayRemoveSchema>): Promise<{ count: number }> {
  await db().trayItem.deleteMany({ where: { assetId: { in: input.map((i) => i.assetId) }, ...inWorkspace.tray(ctx) } });
  return { count: await db().trayItem.count({ where: inWorkspace.tray(ctx) }) };
}

export async function clearTray(ctx: Ctx): Promise<{ count: number }> {
  await db().trayItem.deleteMany({ where: inWorkspace.tray(ctx) });
  return { count: 0 };
}

/** The tray as compare candidates, with the facts the grid diffs. */
export async function listTray(ctx: Ctx): Promise<CompareCandidate[]> {
  const items = await db().trayItem.findMany({ where: inWorkspace.tray(ctx), orderBy: [{ addedAt: 'asc' }, { id: 'asc' }] });
  const [assets, variations] = await Promise.all([
    db().asset.findMany({ where: { id: { in: items.map((i) => i.assetId) } } }),
    db().variation.findMany({
      where: { id: { in: items.flatMap((i) => (i.variationId ? [i.variationId] : [])) }, ...inWorkspace.variation(ctx) },
      include: { run: true },
    }),
  ]);
  const assetById = new Map(assets.map((a) => [a.id, a]));
  const varById = new Map(variations.map((v) => [v.id, v]));
  return items.flatMap((item): CompareCandidate[] => {
    const asset = assetById.get(item.assetId);
    if (!asset) return [];
    const v = item.variationId ? varById.get(item.variationId) : undefined;
    if (!v) return [{ key: `asset:${asset.id}`, label: 'Reference image', kind: 'reference', asset: assetDto(asset), facts: {} }];
    const params = decode.params(v.run.params);
    return [
      {
        key: v.id,
        label: `Run ${v.run.number} · Variation ${v.index + 1} · ${findTarget(v.targetId)?.label ?? v.targetId} · seed ${v.seed}`,
        kind: 'variation',
        asset: assetDto(asset),
        variationId: v.id,
        facts: {
          provider: v.provider,
          model: v.model,
          seed: v.seed,
          instruction: v.run.instruction,
          negativePrompt: v.run.negativePrompt,
          params: { size: params.size, format: params.format, strength: params.strength, guidance: params.guidance },
          runId: v.runId,
          runNumber: v.run.number,
        },
      },
    ];
  });
}
