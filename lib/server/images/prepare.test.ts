import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { prepareImage } from './prepare';
import { sniffImage } from './sniff';

const solid = (width: number, height: number, format: 'png' | 'jpeg' | 'webp' = 'png') =>
  sharp({ create: { width, height, channels: 3, background: '#3366cc' } })
    [format]()
    .toBuffer();

describe('sniffImage', () => {
  it('identifies by magic bytes, not by name', async () => {
    expect(sniffImage(await solid(4, 4, 'png'))).toBe('image/png');
    expect(sniffImage(await solid(4, 4, 'jpeg'))).toBe('image/jpeg');
    expect(sniffImage(await solid(4, 4, 'webp'))).toBe('image/webp');
    expect(sniffImage(Buffer.from('GIF89a......'))).toBeUndefined();
    expect(sniffImage(Buffer.from([0x89, 0x50]))).toBeUndefined();
  });
});

describe('prepareImage refusals', () => {
  it('refuses more than 10 MB, naming the file and the rule', async () => {
    const r = await prepareImage(Buffer.alloc(10 * 1024 * 1024 + 1), 'big.png');
    expect(r).toEqual({ ok: false, error: { code: 'too_large', message: '“big.png” is 10.0 MB; the limit is 10 MB per image.' } });
  });

  it('refuses a file that is not JPEG, PNG or WebP whatever its name', async () => {
    const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    const r = await prepareImage(gif, 'looks-like.png');
    expect(r.ok || r.error.code).toBe('unsupported_type');
    expect(r.ok || r.error.message).toBe('“looks-like.png” is not a JPEG, PNG or WebP image.');
  });

  it('refuses images over the pixel limit before decoding them', async () => {
    const bomb = await sharp({ create: { width: 10000, height: 5000, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    expect(bomb.length).toBeLessThan(1024 * 1024); // tiny on disk, huge in memory
    const r = await prepareImage(bomb, 'bomb.png');
    expect(r.ok || r.error).toEqual({ code: 'too_many_pixels', message: '“bomb.png” is 10000×5000 (50 MP); the limit is 40 MP.' });
  });

  it('refuses a truncated image as damaged', async () => {
    const png = await solid(64, 64);
    const r = await prepareImage(png.subarray(0, 60), 'cut.png');
    expect(r.ok || r.error.code).toBe('corrupt');
    expect(r.ok || r.error.message).toMatch(/^“cut\.png” /);
  });
});

describe('prepareImage normalisation', () => {
  it('applies EXIF orientation and strips EXIF including GPS', async () => {
    const jpeg = await sharp({ create: { width: 300, height: 100, channels: 3, background: '#ff0000' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'PhoneCo' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const r = await prepareImage(jpeg, 'phone.jpg');
    if (!r.ok) throw new Error(r.error.message);
    const meta = await sharp(r.image.bytes).metadata();
    expect([r.image.width, r.image.height]).toEqual([100, 300]);
    expect([meta.width, meta.height]).toEqual([100, 300]);
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(r.image.bytes.includes(Buffer.from('PhoneCo'))).toBe(false);
    expect(r.image.notes).toContain('Rotated to match its camera orientation.');
  });

  it('downscales anything over 2048 px on a side and says so', async () => {
    const r = await prepareImage(await solid(4096, 1024), 'wide.png');
    if (!r.ok) throw new Error(r.error.message);
    expect([r.image.width, r.image.height]).toEqual([2048, 512]);
    expect(r.image.notes).toContain('Downscaled from 4096×1024 to fit 2048 px.');
  });

  it('keeps the format and renders a WebP thumbnail and preview', async () => {
    const r = await prepareImage(await solid(1600, 800, 'jpeg'), 'photo.jpg');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.image.mime).toBe('image/jpeg');
    expect(sniffImage(r.image.bytes)).toBe('image/jpeg');
    const thumb = await sharp(r.image.thumb).metadata();
    const preview = await sharp(r.image.preview).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 320, 160]);
    expect([preview.format, preview.width, preview.height]).toEqual(['webp', 1280, 640]);
    expect(r.image.notes).toEqual([]);
  });

  it('keeps a clean PNG byte for byte, and re-encodes one that carries metadata', async () => {
    const clean = await solid(300, 200, 'png');
    const kept = await prepareImage(clean, 'clean.png');
    if (!kept.ok) throw new Error(kept.error.message);
    expect(kept.image.bytes.equals(clean)).toBe(true);
    const tagged = await sharp(clean)
      .png()
      .withExif({ IFD0: { Make: 'PhoneCo' } })
      .toBuffer();
    const stripped = await prepareImage(tagged, 'tagged.png');
    if (!stripped.ok) throw new Error(stripped.error.message);
    expect(stripped.image.bytes.equals(tagged)).toBe(false);
    expect((await sharp(stripped.image.bytes).metadata()).exif).toBeUndefined();
    expect(stripped.image.notes).toContain('Metadata removed (EXIF, GPS, XMP).');
  });
});
