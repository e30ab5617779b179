import 'server-only';
import { findTarget } from '@/lib/providers/catalog';
import type { CompareCandidate } from '@/lib/schemas/compare';
import { fail, type ActionResult } from '@/lib/schemas/result';
import { trayAddSchema } from '@/lib/schemas/history';
import { runParamsSchema } from '@/lib/schemas/run';
import { db } from '../db/client';
import { newId } from '../ids';
import { assetDto } from '../queries/to-dto';

/** The compare tray lives on the server, like everything else the user sets aside. */
export async function addToTray(raw: unknown): Promise<ActionResult<{ count: number }>> {
  const p = trayAddSchema.safeParse(raw);
  if (!p.success) return fail('invalid_input', 'Add what to the tray?');
  const assets = await db().asset.findMany({ where: { id: { in: p.data.items.map((i) => i.assetId) } }, select: { id: true } });
  const known = new Set(assets.map((a) => a.id));
  const items = p.data.items.filter((i) => known.has(i.assetId));
  if (items.length === 0) return fail('not_found', 'Those images no longer exist.');
  await db().$transaction(
    items.map((i) =>
      db().trayItem.upsert({ where: { assetId: i.assetId }, create: { id: newId(), assetId: i.assetId, variationId: i.variationId ?? null }, update: {} }),
    ),
  );
  return { ok: true, data: { count: await db().trayItem.count() } };
}

export async function removeFromTray(raw: unknown): Promise<ActionResult<{ count: number }>> {
  const p = trayAddSchema.shape.items.element.pick({ assetId: true }).array().min(1).safeParse(raw);
  if (!p.success) return fail('invalid_input', 'Remove what from the tray?');
  await db().trayItem.deleteMany({ where: { assetId: { in: p.data.map((i) => i.assetId) } } });
  return { ok: true, data: { count: await db().trayItem.count() } };
}

export async function clearTray(): Promise<ActionResult<{ count: number }>> {
  await db().trayItem.deleteMany({});
  return { ok: true, data: { count: 0 } };
}

/** The tray as compare candidates, with the facts the grid diffs. */
export async function listTray(): Promise<CompareCandidate[]> {
  const items = await db().trayItem.findMany({ orderBy: { addedAt: 'asc' } });
  const [assets, variations] = await Promise.all([
    db().asset.findMany({ where: { id: { in: items.map((i) => i.assetId) } } }),
    db().variation.findMany({
      where: { id: { in: items.flatMap((i) => (i.variationId ? [i.variationId] : [])) } },
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
    const params = runParamsSchema.safeParse(JSON.parse(v.run.params));
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
          params: params.success ? { size: params.data.size, format: params.data.format, strength: params.data.strength, guidance: params.data.guidance } : undefined,
          runId: v.runId,
          runNumber: v.run.number,
        },
      },
    ];
  });
}
