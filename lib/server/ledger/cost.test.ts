import { describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { ownerContext } = await import('../context');
const { successCost } = await import('./cost');
const { setPrice } = await import('./prices');
const { billableUnitsOf } = await import('../providers/fal/wire');

const ctx = ownerContext();
const FAL = 'fal:fal-ai/flux-pro/kontext';
const TOGETHER = 'together:black-forest-labs/FLUX.2-pro';

describe('successCost', () => {
  const queuedAt = new Date('2032-01-10T00:00:00Z');

  it('takes the dollar figure the vendor reports over everything else', async () => {
    expect(
      await successCost({ targetId: FAL, costEstimateUsd: 0.04, queuedAt }, { costUsd: 0.0371, details: { billableUnits: 3 } }),
    ).toEqual({
      costUsd: 0.0371,
      costSource: 'provider',
    });
  });

  it('prices billed units at the unit price in effect when the run was created, not today’s', async () => {
    await setPrice(ctx, { targetId: TOGETHER, unit: 'megapixel', amountUsd: 0.05 }, new Date('2032-01-01T00:00:00Z'));
    await setPrice(ctx, { targetId: TOGETHER, unit: 'megapixel', amountUsd: 0.5 }, new Date('2032-02-01T00:00:00Z'));
    const v = { targetId: TOGETHER, costEstimateUsd: 0.05, queuedAt };
    expect(await successCost(v, { details: { billableUnits: 1.5 } })).toEqual({ costUsd: 0.075, costSource: 'provider' });
  });

  it('prices Replicate compute seconds only under a per-second price', async () => {
    const rep = 'replicate:wan-video/wan-2.7-image';
    const v = { targetId: rep, costEstimateUsd: null, queuedAt };
    expect(await successCost(v, { details: { predictTimeSec: 12 } })).toEqual({ costUsd: null, costSource: null });
    await setPrice(ctx, { targetId: rep, unit: 'second', amountUsd: 0.0014 }, new Date('2032-01-01T00:00:00Z'));
    expect(await successCost(v, { details: { predictTimeSec: 12.5 } })).toEqual({ costUsd: 0.0175, costSource: 'provider' });
    // Seconds do not price a per-image target.
    expect(await successCost({ targetId: FAL, costEstimateUsd: 0.04, queuedAt }, { details: { predictTimeSec: 9 } })).toEqual({
      costUsd: 0.04,
      costSource: 'estimate',
    });
  });

  it('falls back to the stored estimate, and to nothing when no price was known', async () => {
    expect(await successCost({ targetId: FAL, costEstimateUsd: 0.04, queuedAt }, { details: { seed: 3 } })).toEqual({
      costUsd: 0.04,
      costSource: 'estimate',
    });
    const unknown = { targetId: 'together:black-forest-labs/FLUX.2-dev', costEstimateUsd: null, queuedAt };
    expect(await successCost(unknown, undefined)).toEqual({ costUsd: null, costSource: null });
  });
});

describe('fal billable units', () => {
  it('reads a positive number from x-fal-billable-units, nothing otherwise', () => {
    expect(billableUnitsOf(new Headers({ 'x-fal-billable-units': '1.048576' }))).toBe(1.048576);
    expect(billableUnitsOf(new Headers({ 'x-fal-billable-units': 'n/a' }))).toBeUndefined();
    expect(billableUnitsOf(new Headers({ 'x-fal-billable-units': '0' }))).toBeUndefined();
    expect(billableUnitsOf(new Headers())).toBeUndefined();
  });
});
