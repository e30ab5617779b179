import { describe, expect, it, vi } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
let requestHeaders = new Headers();
vi.mock('next/headers', () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({ get: () => undefined }),
}));

const { ownerContext } = await import('../context');
const { createToken } = await import('../services/tokens');
const { setBudget } = await import('./budget');
const { estimateHandler } = await import('./estimate-route');
const { createApiRun } = await import('../api/runs');
const { setPrice } = await import('./prices');
const { storeAsset } = await import('../assets');
const { prepareImage } = await import('../images/prepare');
const sharp = (await import('sharp')).default;

async function get(query: string, token: string) {
  requestHeaders = new Headers({ authorization: `Bearer ${token}` });
  const res = await estimateHandler(new Request(`http://127.0.0.1:3000/api/v1/estimate?${query}`, { headers: requestHeaders }));
  return { status: res.status, body: await res.json() };
}

describe('GET /api/v1/estimate', () => {
  it('estimates targets × count with the budget verdict, and refuses unknown targets', async () => {
    const token = (await createToken(ownerContext(), { name: 'dash', scopes: ['read'] })).token;
    const fal = 'fal:fal-ai/flux-pro/kontext';
    const ok = await get(`targets=${encodeURIComponent(`${fal},together:black-forest-labs/FLUX.2-pro`)}&count=2`, token);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ totalUsd: 0.08, unknownTargets: ['together:black-forest-labs/FLUX.2-pro'], refusal: null });

    await setBudget(ownerContext(), { monthlyUsd: 0.05, sessionCapUsd: null });
    const over = await get(`targets=${encodeURIComponent(fal)}&count=2`, token);
    expect(over.body.refusal).toBe('This run is estimated at $0.08; $0.00 of the $0.05 monthly budget is spent or committed.');

    const bad = await get('targets=nope:x&count=1', token);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    expect((await get(`targets=${encodeURIComponent(fal)}&count=9`, token)).status).toBe(400);
  });
});

describe('POST /api/v1/runs', () => {
  it('returns the estimate at creation with the budget warning', async () => {
    const ctx = ownerContext();
    await setBudget(ctx, { monthlyUsd: 1, sessionCapUsd: null });
    await setPrice(ctx, { targetId: 'offline:engine-v1', unit: 'image', amountUsd: 0.45 });
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#abcdef' } })
      .png()
      .toBuffer();
    const prepared = await prepareImage(png, 'r.png');
    if (!prepared.ok) throw new Error(prepared.error.message);
    const asset = await storeAsset(prepared.image, 'upload');
    const run = await createApiRun(ctx, {
      instruction: 'grey scale',
      referenceIds: [asset.id],
      targets: ['offline:engine-v1'],
      count: 2,
    } as Parameters<typeof createApiRun>[1]);
    expect(run.costEstimate).toEqual({
      totalUsd: 0.9,
      unknownTargets: [],
      warnings: ['With this run $0.90 of the $1.00 monthly budget (90 %) is spent or committed.'],
    });
  });
});
