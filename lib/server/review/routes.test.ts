import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { db } = await import('../db/client');
const { storeAsset } = await import('../assets');
const { prepareImage } = await import('../images/prepare');
const { ownerContext } = await import('../context');
const { createShare, revokeShare } = await import('./shares');
const { encodeReviewer, REVIEWER_COOKIE } = await import('./reviewer-cookie');
const image = await import('@/app/api/review/[token]/items/[itemId]/[kind]/route');
const verdicts = await import('@/app/api/review/[token]/verdicts/route');
const reviewerRoute = await import('@/app/api/review/[token]/reviewer/route');
const refRoute = await import('@/app/api/review/[token]/items/[itemId]/refs/[position]/[kind]/route');

const owner = ownerContext();
let token = '';
let shareId = '';
let assetId = '';
let assetSha = '';
const me = { reviewerId: 'r'.repeat(22), name: 'Rae' };
const cookie = `${REVIEWER_COOKIE}=${encodeReviewer(me)}`;

const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
const getImage = (t: string, itemId: string, kind = 'preview') =>
  image.GET(new Request(`http://localhost/api/review/${t}/items/${itemId}/${kind}`), ctx({ token: t, itemId, kind }));
const post = (route: typeof verdicts, t: string, body: unknown, headers: Record<string, string> = {}) =>
  route.POST(
    new Request(`http://localhost/api/review/${t}/x`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    }),
    ctx({ token: t }),
  );

beforeAll(async () => {
  const png = await sharp({ create: { width: 96, height: 96, channels: 3, background: '#336699' } })
    .png()
    .withMetadata({ exif: { IFD0: { Software: 'SecretVendor Model-X' } } })
    .toBuffer();
  const p = await prepareImage(png, 'x.png');
  if (!p.ok) throw new Error(p.error.message);
  const asset = await storeAsset(p.image, 'output');
  assetId = asset.id;
  assetSha = asset.sha256;
  await db().gallery.create({ data: { id: 'g1', workspaceId: 'local', title: 'Mine' } });
  await db().gallery.create({ data: { id: 'g2', workspaceId: 'local', title: 'Other' } });
  await db().galleryItem.create({ data: { id: 'i1', galleryId: 'g1', assetId: asset.id, position: 0 } });
  await db().galleryItem.create({ data: { id: 'x1', galleryId: 'g2', assetId: asset.id, position: 0 } });
  const made = await createShare(owner, { galleryId: 'g1', expiresIn: 'never' });
  token = made.url.split('/').pop()!;
  shareId = made.link.id;
});

describe('review routes', () => {
  it('serve the gallery item as WebP without metadata or a content hash; nothing else', async () => {
    const res = await getImage(token, 'i1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(res.headers.get('etag')).toBeNull();
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect(bytes.toString('latin1')).not.toMatch(/SecretVendor|EXIF|XMP/);
    expect((await getImage(token, 'x1')).status).toBe(404);
    expect((await getImage(token, 'i1', 'huge')).status).toBe(400);
    expect((await getImage('A'.repeat(43), 'i1')).status).toBe(404);
    await db().gallery.update({ where: { id: 'g1' }, data: { mode: 'blind' } });
    expect((await getImage(token, 'i1', 'original')).status).toBe(404);
    expect((await getImage(token, 'i1', 'thumb')).status).toBe(200);
    await db().gallery.update({ where: { id: 'g1' }, data: { mode: 'standard' } });
    expect((await getImage(token, 'i1', 'original')).status).toBe(200);
  });

  it('give nothing for ids from elsewhere: a studio asset id or hash, another gallery’s item, its references, odd shapes', async () => {
    for (const id of [assetId, assetSha, 'x1', 'g1', 'g2', '..', '%2e%2e', 'i1/../x1'])
      expect((await getImage(token, id)).status, id).toBe(404);
    const ref = (itemId: string, position: string) =>
      refRoute.GET(new Request('http://localhost/x'), ctx({ token, itemId, position, kind: 'preview' }));
    // i1 is an upload (no run, no references); x1 is another gallery's; a reference never serves an original.
    expect((await ref('i1', '0')).status).toBe(404);
    expect((await ref('x1', '0')).status).toBe(404);
    expect((await ref('i1', '99')).status).toBe(400);
    const original = await refRoute.GET(new Request('http://localhost/x'), ctx({ token, itemId: 'i1', position: '0', kind: 'original' }));
    expect(original.status).toBe(400);
  });

  it('set the reviewer cookie; refuse a name that is too long', async () => {
    const res = await post(reviewerRoute as unknown as typeof verdicts, token, { name: 'Rae' });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^${REVIEWER_COOKIE}=[A-Za-z0-9_-]{22}\\.`));
    expect(res.headers.get('set-cookie')).toContain('HttpOnly');
    const long = await post(reviewerRoute as unknown as typeof verdicts, token, { name: 'x'.repeat(81) });
    expect(long.status).toBe(400);
  });

  it('take a verdict only with a name, within limits, while the link is valid', async () => {
    expect((await post(verdicts, token, { itemId: 'i1', verdict: 'approve' })).status).toBe(401);
    const tooLong = await post(verdicts, token, { itemId: 'i1', verdict: 'reject', comment: 'x'.repeat(2001) }, { cookie });
    expect(tooLong.status).toBe(400);
    expect((await post(verdicts, token, { itemId: 'i1', verdict: 'maybe' }, { cookie })).status).toBe(400);
    expect((await post(verdicts, token, { itemId: 'x1', verdict: 'approve' }, { cookie })).status).toBe(404);
    expect(await db().reviewVerdict.count()).toBe(0);
    expect((await post(verdicts, token, { itemId: 'i1', verdict: 'approve', comment: 'ok' }, { cookie })).status).toBe(200);
    expect(await db().reviewVerdict.findMany({ select: { reviewerName: true, verdict: true } })).toEqual([
      { reviewerName: 'Rae', verdict: 'approve' },
    ]);
    await revokeShare(owner, { shareId });
    const after = await post(verdicts, token, { itemId: 'i1', verdict: 'reject' }, { cookie });
    expect(after.status).toBe(403);
    expect(((await after.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
    expect((await getImage(token, 'i1')).status).toBe(403);
  });

  it('rate-limit one reviewer', async () => {
    const fresh = await createShare(owner, { galleryId: 'g1', expiresIn: 'never' });
    const t = fresh.url.split('/').pop()!;
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await post(verdicts, t, { itemId: 'i1', verdict: 'approve' }, { cookie })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });
});
