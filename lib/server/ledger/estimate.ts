import 'server-only';
import { parseSize } from '@/lib/providers/catalog';
import type { RunEstimate, TargetEstimate } from '@/lib/schemas/ledger';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { pricesAt, type Price } from './prices';

export type EstimateRequest = {
  targets: string[];
  count: number;
  /** "1024x1024" or "auto"; a per-megapixel price needs it. */
  size?: string;
  /** For size "auto": the output follows the first reference, so its size is used. */
  referenceIds?: string[];
  /** The price in effect at this moment (default now). */
  at?: Date;
};

/** Float noise off, to a millionth of a dollar (prices have at most five decimals). */
export function roundUsd(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/**
 * The cost of one output under a price, or null with the reason. Per image: the amount. Per
 * megapixel: amount × width × height / 10^6 of the output size ('auto' uses the reference's
 * size; unknown without one). Per second: unknown, because a run's duration cannot be known
 * before it runs and no typical duration is recorded per target.
 */
export function unitCost(price: Price, pixels: { width: number; height: number } | undefined): { usd: number | null; note?: string } {
  if (price.unit === 'image') return { usd: price.amountUsd };
  if (price.unit === 'megapixel') {
    if (!pixels) return { usd: null, note: 'priced per megapixel; the output size is not known' };
    return { usd: (price.amountUsd * pixels.width * pixels.height) / 1_000_000 };
  }
  return { usd: null, note: 'priced per second; no typical duration is known' };
}

/** Pure: the estimate for targets × count from a price map (null: no known price). */
export function estimateFrom(
  prices: Map<string, Price | null>,
  input: { targets: string[]; count: number },
  pixels: { width: number; height: number } | undefined,
): RunEstimate {
  const perTarget: TargetEstimate[] = input.targets.map((targetId) => {
    const price = prices.get(targetId) ?? null;
    if (!price) return { targetId, unitUsd: null, unit: 'image', count: input.count, subtotalUsd: null, priceSource: null };
    const unit = unitCost(price, pixels);
    return {
      targetId,
      unitUsd: unit.usd === null ? null : roundUsd(unit.usd),
      unit: price.unit,
      count: input.count,
      subtotalUsd: unit.usd === null ? null : roundUsd(unit.usd * input.count),
      priceSource: unit.note ? `${price.source} (${unit.note})` : price.source,
    };
  });
  const known = perTarget.filter((t) => t.subtotalUsd !== null);
  const unknownTargets = perTarget.filter((t) => t.subtotalUsd === null).map((t) => t.targetId);
  const totalUsd = known.length === 0 && perTarget.length > 0 ? null : roundUsd(known.reduce((sum, t) => sum + t.subtotalUsd!, 0));
  return { totalUsd, perTarget, unknownTargets };
}

/** The output size a per-megapixel price is computed on: the requested size, else the first reference's. */
async function outputPixels(size: string | undefined, referenceIds: string[] | undefined) {
  const parsed = size ? parseSize(size) : undefined;
  if (parsed) return parsed;
  if (!referenceIds?.length) return undefined;
  const first = await db().asset.findUnique({ where: { id: referenceIds[0] }, select: { width: true, height: true } });
  return first ?? undefined;
}

/**
 * What a run of `count` outputs per target would cost at the prices in effect now (or `at`).
 * totalUsd is the sum of the known subtotals, null only when no target has a known price;
 * the targets without one are listed in unknownTargets.
 */
export async function estimateRun(_ctx: Ctx, input: EstimateRequest): Promise<RunEstimate> {
  const prices = await pricesAt(input.targets, input.at);
  const needsPixels = [...prices.values()].some((p) => p?.unit === 'megapixel');
  const pixels = needsPixels ? await outputPixels(input.size, input.referenceIds) : undefined;
  return estimateFrom(prices, input, pixels);
}
