import { describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { ownerContext } = await import('../context');
const { estimateRun, estimateFrom } = await import('./estimate');
const { setPrice, priceHistory, pricesAt, withCurrentPrices } = await import('./prices');
const { findTarget } = await import('@/lib/providers/catalog');

const ctx = ownerContext();
// Catalog list prices: fal Kontext pro $0.04/image, fal Kontext max $0.08/image; Together has none.
const FAL_PRO = 'fal:fal-ai/flux-pro/kontext';
const FAL_MAX = 'fal:fal-ai/flux-pro/kontext/max/multi';
const TOGETHER = 'together:black-forest-labs/FLUX.2-pro';

describe('estimateRun', () => {
  it('multiplies the catalog list price by the count and sums the targets', async () => {
    const e = await estimateRun(ctx, { targets: [FAL_PRO, FAL_MAX], count: 2 });
    expect(e.perTarget.map((t) => [t.unitUsd, t.subtotalUsd, t.unit])).toEqual([
      [0.04, 0.08, 'image'],
      [0.08, 0.16, 'image'],
    ]);
    expect(e.totalUsd).toBe(0.24);
    expect(e.unknownTargets).toEqual([]);
    expect(e.perTarget[0]!.priceSource).toMatch(/catalog list price, 2026-12-01/);
  });

  it('sums the known targets and lists the unknown; null only when all are unknown', async () => {
    const mixed = await estimateRun(ctx, { targets: [FAL_PRO, TOGETHER], count: 3 });
    expect(mixed.totalUsd).toBe(0.12);
    expect(mixed.unknownTargets).toEqual([TOGETHER]);
    expect(mixed.perTarget[1]).toMatchObject({ unitUsd: null, subtotalUsd: null, priceSource: null });
    const none = await estimateRun(ctx, { targets: [TOGETHER, 'nope:unknown'], count: 1 });
    expect(none.totalUsd).toBeNull();
    expect(none.unknownTargets).toEqual([TOGETHER, 'nope:unknown']);
  });

  it('prices per megapixel on the requested size, unknown for auto without a reference', async () => {
    const t0 = new Date('2030-01-01T00:00:00Z');
    await setPrice(ctx, { targetId: TOGETHER, unit: 'megapixel', amountUsd: 0.05 }, t0);
    const at = new Date('2030-01-02T00:00:00Z');
    const sized = await estimateRun(ctx, { targets: [TOGETHER], count: 2, size: '1344x768', at });
    // 1344 × 768 = 1.032192 MP × $0.05 = $0.0516096 each.
    expect(sized.perTarget[0]).toMatchObject({ unit: 'megapixel', unitUsd: 0.05161, subtotalUsd: 0.103219 });
    const auto = await estimateRun(ctx, { targets: [TOGETHER], count: 2, size: 'auto', at });
    expect(auto.totalUsd).toBeNull();
    expect(auto.perTarget[0]!.priceSource).toMatch(/output size is not known/);
  });

  it('says a per-second price cannot be estimated', () => {
    const prices = new Map([
      [FAL_PRO, { unit: 'second' as const, amountUsd: 0.001, source: 'edited', effectiveAt: new Date(), fromCatalog: false }],
    ]);
    const e = estimateFrom(prices, { targets: [FAL_PRO], count: 4 }, undefined);
    expect(e).toMatchObject({ totalUsd: null, unknownTargets: [FAL_PRO] });
    expect(e.perTarget[0]!.priceSource).toMatch(/per second; no typical duration/);
  });
});

describe('price history', () => {
  it('keeps every edit with its date; the price in effect at a past moment does not change', async () => {
    const before = new Date('2031-01-01T00:00:00Z');
    const mid = new Date('2031-02-01T00:00:00Z');
    const pastRun = new Date('2031-01-15T00:00:00Z');
    await setPrice(ctx, { targetId: FAL_MAX, unit: 'image', amountUsd: 0.1 }, before);
    const atRun = (await pricesAt([FAL_MAX], pastRun)).get(FAL_MAX);
    await setPrice(ctx, { targetId: FAL_MAX, unit: 'image', amountUsd: 0.2 }, mid);
    expect((await pricesAt([FAL_MAX], pastRun)).get(FAL_MAX)).toEqual(atRun);
    expect(atRun?.amountUsd).toBe(0.1);
    expect((await pricesAt([FAL_MAX], new Date('2031-03-01T00:00:00Z'))).get(FAL_MAX)?.amountUsd).toBe(0.2);
    // Before any edit the catalog's list price applies.
    expect((await pricesAt([FAL_MAX], new Date('2029-01-01T00:00:00Z'))).get(FAL_MAX)?.amountUsd).toBe(0.08);

    const history = await priceHistory(ctx, { targetId: FAL_MAX });
    expect(history.map((h) => [h.amountUsd, h.source, h.fromCatalog])).toEqual([
      [0.2, 'edited', false],
      [0.1, 'edited', false],
      [0.08, expect.stringContaining('catalog list price'), true],
    ]);
    expect(history.at(-1)!.effectiveAt).toBe('1970-01-01T00:00:00.000Z');
  });

  it('shows the edited price in place of the list price (per image only)', async () => {
    const past = new Date(Date.now() - 1000);
    await setPrice(ctx, { targetId: FAL_MAX, unit: 'image', amountUsd: 0.2 }, past);
    await setPrice(ctx, { targetId: TOGETHER, unit: 'megapixel', amountUsd: 0.05 }, past);
    const [max, together, pro] = await withCurrentPrices([findTarget(FAL_MAX)!, findTarget(TOGETHER)!, findTarget(FAL_PRO)!]);
    expect(max!.capabilities.pricePerImageUsd).toBe(0.2);
    expect(together!.capabilities).toMatchObject({ pricePerImageUsd: null, priceNote: expect.stringContaining('per megapixel') });
    expect(pro!.capabilities.pricePerImageUsd).toBe(0.04);
  });

  it('refuses an unknown target and changes nothing', async () => {
    await expect(setPrice(ctx, { targetId: 'nope:x', unit: 'image', amountUsd: 1 })).rejects.toMatchObject({ code: 'not_found' });
  });
});
