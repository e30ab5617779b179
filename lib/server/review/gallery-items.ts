import 'server-only';
import { findTarget } from '@/lib/providers/catalog';
import { db } from '../db/client';

/** A gallery item with what the review services need, read in three queries whatever the size. */
export type LoadedItem = {
  id: string;
  number: number;
  caption: string;
  sha256: string | null;
  /** `provider:model` of the variation; null for an item that is not a run's output. */
  targetId: string | null;
  targetLabel: string | null;
  instruction: string | null;
  negativePrompt: string;
  references: { position: number; sha256: string }[];
};

export function targetLabel(targetId: string, provider: string, model: string): string {
  return findTarget(targetId)?.label ?? `${model} (${provider})`;
}

export async function loadGalleryItems(galleryId: string): Promise<LoadedItem[]> {
  const items = await db().galleryItem.findMany({ where: { galleryId }, orderBy: [{ position: 'asc' }, { addedAt: 'asc' }] });
  const assetIds = [...new Set(items.map((i) => i.assetId))];
  const variationIds = [...new Set(items.flatMap((i) => (i.variationId ? [i.variationId] : [])))];
  const [assets, variations] = await Promise.all([
    db().asset.findMany({ where: { id: { in: assetIds } }, select: { id: true, sha256: true } }),
    db().variation.findMany({
      where: { id: { in: variationIds } },
      select: {
        id: true,
        targetId: true,
        provider: true,
        model: true,
        run: {
          select: {
            instruction: true,
            negativePrompt: true,
            references: { orderBy: { position: 'asc' }, select: { position: true, asset: { select: { sha256: true } } } },
          },
        },
      },
    }),
  ]);
  const shaOf = new Map(assets.map((a) => [a.id, a.sha256]));
  const variationOf = new Map(variations.map((v) => [v.id, v]));
  return items.map((item, i) => {
    const v = item.variationId ? variationOf.get(item.variationId) : undefined;
    return {
      id: item.id,
      number: i + 1,
      caption: item.caption,
      sha256: shaOf.get(item.assetId) ?? null,
      targetId: v?.targetId ?? null,
      targetLabel: v ? targetLabel(v.targetId, v.provider, v.model) : null,
      instruction: v?.run.instruction ?? null,
      negativePrompt: v?.run.negativePrompt ?? '',
      references: v?.run.references.map((r) => ({ position: r.position, sha256: r.asset.sha256 })) ?? [],
    };
  });
}
