import { describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

/** Issue 12: the price table, seeded from the catalog, edited with its history kept. */
useTempDataDir();
const { contextFor, ownerContext } = await import('../context');
const { CATALOG_PRICE_DATE, currentPriceTable, priceHistory, pricesAt, setPrice } = await import('./prices');
const { findTarget } = await import('@/lib/providers/catalog');

const ctx = ownerContext();
const WAVESPEED = 'wavespeed:alibaba/wan-2.7/image-edit';
const T0 = new Date('2025-01-01T00:00:00Z');
const T1 = new Date('2025-02-01T00:00:00Z');

describe('prices', () => {
  it('starts from the catalog list price, with its source and date', async () => {
    const target = findTarget(WAVESPEED)!;
    expect(target).toBeDefined();
    const price = (await pricesAt([WAVESPEED], T0)).get(WAVESPEED)!;
    expect(price).toMatchObject({ unit: 'image', amountUsd: target.capabilities.pricePerImageUsd, fromCatalog: true });
    expect(price.source).toContain(`catalog list price, ${CATALOG_PRICE_DATE}`);
    expect((await pricesAt(['nobody:unknown'])).get('nobody:unknown')).toBeNull();
  });

  it('keeps every edit with its date: the price at a past moment is the one in effect then', async () => {
    const list = findTarget(WAVESPEED)!.capabilities.pricePerImageUsd;
    await setPrice(ctx, { targetId: WAVESPEED, unit: 'image', amountUsd: 0.05 }, T0);
    await setPrice(ctx, { targetId: WAVESPEED, unit: 'megapixel', amountUsd: 0.02 }, T1);
    const at = async (d: Date) => (await pricesAt([WAVESPEED], d)).get(WAVESPEED)!;
    expect((await at(new Date(T0.getTime() - 1))).amountUsd).toBe(list);
    expect(await at(T0)).toMatchObject({ unit: 'image', amountUsd: 0.05, source: 'edited', fromCatalog: false });
    expect(await at(new Date(T1.getTime() - 1))).toMatchObject({ unit: 'image', amountUsd: 0.05 });
    expect(await at(T1)).toMatchObject({ unit: 'megapixel', amountUsd: 0.02 });

    const history = await priceHistory(ctx, { targetId: WAVESPEED });
    expect(history.map((h) => [h.unit, h.amountUsd, h.fromCatalog])).toEqual([
      ['megapixel', 0.02, false],
      ['image', 0.05, false],
      ['image', list, true],
    ]);
    // The table shows the one in effect now (both edits are in the past by then).
    expect((await currentPriceTable(ctx))[WAVESPEED]).toMatchObject({ unit: 'megapixel', amountUsd: 0.02 });
  });

  it('lets only the owner edit, and refuses an unknown target; nothing is written', async () => {
    const token = contextFor({ kind: 'token', workspaceId: 'local', tokenId: 't', scopes: ['admin'] });
    const before = (await priceHistory(ctx, { targetId: WAVESPEED })).length;
    await expect(setPrice(token, { targetId: WAVESPEED, unit: 'image', amountUsd: 1 })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(setPrice(ctx, { targetId: 'nobody:unknown', unit: 'image', amountUsd: 1 })).rejects.toMatchObject({ code: 'not_found' });
    expect((await priceHistory(ctx, { targetId: WAVESPEED })).length).toBe(before);
  });
});
