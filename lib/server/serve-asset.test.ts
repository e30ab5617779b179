import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir();
const { storeAsset } = await import('./assets');
const { serveAsset } = await import('./serve-asset');
const { blobKey, blobStore } = await import('./storage');

let sha = '';
beforeAll(async () => {
  const bytes = await sharp({ create: { width: 1600, height: 800, channels: 3, background: '#228be6' } })
    .png()
    .toBuffer();
  // An output: stored without renditions, as the worker does.
  sha = (await storeAsset({ bytes, mime: 'image/png', width: 1600, height: 800 }, 'output')).sha256;
});

const get = (kind: string, headers: Record<string, string> = {}, query = '') =>
  serveAsset(new Request(`http://x/api/assets/${sha}/${kind}${query}`, { headers }), sha, kind);

describe('serveAsset', () => {
  it('renders a missing rendition from the original once, then serves it from the store', async () => {
    expect(await blobStore().head(blobKey(sha, 'thumb'))).toBeNull();
    const res = await get('thumb');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 320, 160]);
    const stored = await blobStore().head(blobKey(sha, 'thumb'));
    expect(stored).not.toBeNull();
    const again = await get('thumb');
    expect(again.headers.get('content-length')).toBe(String(stored!.size));
    expect((await again.arrayBuffer()).byteLength).toBe(stored!.size);
  });

  it('streams the stored bytes with their length', async () => {
    const res = await get('original');
    const original = await blobStore().get(blobKey(sha));
    expect(res.headers.get('content-length')).toBe(String(original!.length));
    expect(Buffer.from(await res.arrayBuffer()).equals(original!)).toBe(true);
  });

  it('answers with a strong ETag, private immutable caching, and 304 when it matches', async () => {
    const res = await get('original');
    expect(res.headers.get('etag')).toBe(`"${sha}-original"`);
    expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect((await get('original', { 'if-none-match': `"${sha}-original"` })).status).toBe(304);
  });

  it('names downloads sensibly and refuses unknown kinds or digests', async () => {
    const res = await get('original', {}, '?download=proofsheet-run1-offline-seed7');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="proofsheet-run1-offline-seed7.png"');
    expect((await get('huge')).status).toBe(404);
    const missing = 'a'.repeat(64);
    expect((await serveAsset(new Request(`http://x/api/assets/${missing}/original`), missing, 'original')).status).toBe(404);
  });

  it('answers 404, naming no path, when the row outlives its blob', async () => {
    const bytes = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fa5252' } })
      .png()
      .toBuffer();
    const gone = (await storeAsset({ bytes, mime: 'image/png', width: 64, height: 64 }, 'output')).sha256;
    await blobStore().delete(blobKey(gone));
    for (const kind of ['original', 'thumb']) {
      const res = await serveAsset(new Request(`http://x/api/assets/${gone}/${kind}`), gone, kind);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe('Not found');
    }
  });
});
