import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
vi.mock('next/headers', () => ({ headers: async () => new Headers(), cookies: async () => ({ get: () => undefined }) }));
const { db } = await import('../db/client');
const { storeAsset } = await import('../assets');
const { ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { submitRunAction: submitRun } = await import('../actions/runs');
const selection = await import('@/app/api/export/route');
const gallery = await import('@/app/api/galleries/[id]/export/route');

const BASE = 'http://127.0.0.1:3000';
const get = (path: string) => selection.GET(new Request(`${BASE}${path}`));

async function finishedVariation(): Promise<string> {
  const bytes = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#445566' } })
    .png()
    .toBuffer();
  const ref = await storeAsset({ bytes, mime: 'image/png', width: 64, height: 64 }, 'upload');
  const sessionId = await createSession(ownerContext(), { title: 'Routes' });
  const r = await submitRun({
    sessionId,
    instruction: 'make it warmer',
    referenceIds: [ref.id],
    targets: ['offline:engine-v1'],
    count: 1,
    seed: 3,
  });
  if (!r.ok) throw new Error(r.error.message);
  await db().variation.update({ where: { id: r.data.variationIds[0]! }, data: { status: 'succeeded', outputAssetId: ref.id } });
  return r.data.variationIds[0]!;
}

describe('export routes', () => {
  it('selection: ?check answers JSON, the zip is an attachment; bad ids are clear JSON errors', async () => {
    const id = await finishedVariation();
    const check = await get(`/api/export?ids=${id}&check=1`);
    expect(check.status).toBe(200);
    expect(await check.json()).toEqual({ files: 1, fileName: expect.stringMatching(/^proofsheet-selection-1-\d{4}-\d{2}-\d{2}\.zip$/) });
    const zip = await get(`/api/export?ids=${id},${id}`);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(zip.headers.get('content-disposition')).toMatch(/^attachment; filename="proofsheet-selection-1-[\d-]+\.zip"/);
    expect((await zip.arrayBuffer()).byteLength).toBeGreaterThan(200);

    const missing = await get('/api/export?ids=nope&check=1');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.message).toMatch(/None of the selected variations/);
    expect((await get('/api/export?ids=')).status).toBe(400);
    const many = Array.from({ length: 301 }, (_, i) => `v${i}`).join(',');
    const tooMany = await get(`/api/export?ids=${many}`);
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.message).toMatch(/at most 300/);

    const posted = await selection.POST(
      new Request(`${BASE}/api/export`, {
        method: 'POST',
        body: JSON.stringify({ variationIds: [id] }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(posted.headers.get('content-type')).toBe('application/zip');
  });

  it('gallery: unknown, deleted and empty galleries are refused before any zip', async () => {
    const params = (id: string) => ({ params: Promise.resolve({ id }) });
    const req = (id: string) => new Request(`${BASE}/api/galleries/${id}/export?check=1`);
    expect((await gallery.GET(req('nope'), params('nope'))).status).toBe(404);
    await db().gallery.create({ data: { id: 'g_empty', workspaceId: 'local', title: 'Empty' } });
    const empty = await gallery.GET(req('g_empty'), params('g_empty'));
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.message).toMatch(/empty/);
    await db().gallery.update({ where: { id: 'g_empty' }, data: { deletedAt: new Date() } });
    expect((await gallery.GET(req('g_empty'), params('g_empty'))).status).toBe(404);
  });
});
