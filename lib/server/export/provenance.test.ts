import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ProvenancePayload } from '@/lib/schemas/export';
import { embedProvenance, readProvenance } from './provenance';
import { crc32 } from './png';

const payload: ProvenancePayload = {
  proofsheet: 1,
  variationId: 'var_1',
  runId: 'run_1',
  sessionId: 'ses_1',
  instruction: 'Put the mug on a "white" <studio> backdrop & add a soft shadow — ünïcödé',
  negativePrompt: 'no text',
  provider: 'offline',
  model: 'engine-v1',
  targetId: 'offline:engine-v1',
  seed: 42,
  parameters: { count: 2, seed: 42, size: 'auto', format: 'png' },
  references: ['a'.repeat(64)],
  parentVariationId: null,
  outputSha256: 'b'.repeat(64),
};

/** A small image with varied pixels (a gradient and a block), so a re-encode would show. */
async function image(format: 'png' | 'jpeg' | 'webp', options: { lossless?: boolean; alpha?: boolean } = {}) {
  const w = 40;
  const h = 30;
  const channels = options.alpha ? 4 : 3;
  const raw = Buffer.alloc(w * h * channels);
  for (let i = 0; i < w * h; i++) {
    raw[i * channels] = (i * 7) % 256;
    raw[i * channels + 1] = (i * 3) % 256;
    raw[i * channels + 2] = i % 40 < 20 ? 200 : 30;
    if (options.alpha) raw[i * channels + 3] = i % 2 ? 255 : 128;
  }
  const s = sharp(raw, { raw: { width: w, height: h, channels } });
  if (format === 'png') return s.png().toBuffer();
  if (format === 'jpeg') return s.jpeg({ quality: 80 }).toBuffer();
  return s.webp(options.lossless ? { lossless: true } : { quality: 80 }).toBuffer();
}

async function pixels(bytes: Buffer) {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

describe('embedded provenance', () => {
  it('computes the PNG CRC-32 of a known vector', () => {
    // "IEND" with no data: the CRC every PNG ends with.
    expect(crc32(Buffer.from('IEND', 'latin1')).toString(16)).toBe('ae426082');
  });

  const cases: [string, () => Promise<Buffer>][] = [
    ['PNG', () => image('png')],
    ['JPEG', () => image('jpeg')],
    ['lossy WebP (simple VP8)', () => image('webp')],
    ['lossless WebP with alpha (simple VP8L)', () => image('webp', { lossless: true, alpha: true })],
    ['WebP already extended (VP8X with ALPH)', () => image('webp', { alpha: true })],
  ];
  for (const [name, make] of cases) {
    it(`${name}: embeds, reads back, keeps the pixels, and XMP readers see it`, async () => {
      const original = await make();
      expect(readProvenance(original)).toBeNull();
      const out = embedProvenance(original, payload);
      expect(out.equals(original)).toBe(false);
      expect(readProvenance(out)).toEqual(payload);
      // Still a valid image with the very same pixels (no re-encode).
      const [a, b] = await Promise.all([pixels(original), pixels(out)]);
      expect(b.width).toBe(a.width);
      expect(b.channels).toBe(a.channels);
      expect(b.data.equals(a.data)).toBe(true);
      // libvips (through sharp) finds the standard XMP packet: other tools will too.
      const xmp = (await sharp(out).metadata()).xmp?.toString('utf8') ?? '';
      expect(xmp).toContain('xmp:CreatorTool="Proofsheet"');
      expect(xmp).toContain('proofsheet:provenance=');
      // Embedding twice replaces rather than stacks.
      const again = embedProvenance(out, { ...payload, seed: 43 });
      expect(readProvenance(again)?.seed).toBe(43);
      expect(again.length).toBe(out.length);
    });
  }

  it('PNG: every chunk CRC is right, and IEND still ends the file', async () => {
    const out = embedProvenance(await image('png'), payload);
    // Every chunk's stored CRC matches its type + data.
    let at = 8;
    while (at < out.length) {
      const len = out.readUInt32BE(at);
      const crc = out.readUInt32BE(at + 8 + len);
      expect(crc).toBe(crc32(out.subarray(at + 4, at + 8 + len)));
      at += 12 + len;
    }
    expect(at).toBe(out.length);
    expect(out.subarray(-12, -8).readUInt32BE(0)).toBe(0);
    expect(out.toString('latin1', out.length - 8, out.length - 4)).toBe('IEND');
  });

  it('JPEG: the XMP segment follows SOI and JFIF; a huge instruction is shortened to fit one segment', async () => {
    const jpeg = await image('jpeg');
    const out = embedProvenance(jpeg, payload);
    expect(out.readUInt16BE(0)).toBe(0xffd8);
    const long = { ...payload, instruction: '"&<>'.repeat(500) };
    const big = embedProvenance(jpeg, long);
    const read = readProvenance(big);
    expect(read?.variationId).toBe('var_1');
    expect(read?.instruction.length).toBeLessThanOrEqual(2000);
    await expect(sharp(big).raw().toBuffer()).resolves.toBeInstanceOf(Buffer);
  });

  it('ignores foreign or damaged metadata', async () => {
    const png = await image('png');
    const foreign = await sharp(png)
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
      .png()
      .toBuffer();
    expect(readProvenance(foreign)).toBeNull();
    const bad = embedProvenance(png, payload);
    // Corrupt the JSON's version field: not recognised, no throw.
    const tampered = Buffer.from(bad.toString('latin1').replace('"proofsheet":1', '"proofsheet":9'), 'latin1');
    expect(readProvenance(tampered)).toBeNull();
    expect(readProvenance(Buffer.from('not an image'))).toBeNull();
    expect(readProvenance(bad.subarray(0, 100))).toBeNull();
    expect(() => embedProvenance(Buffer.from('GIF89a'), payload)).toThrow(/PNG, JPEG and WebP/);
  });
});

describe('hostile files', () => {
  /** The PNG with one more chunk right after IHDR. */
  function withChunk(png: Buffer, type: string, data: Buffer): Buffer {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    const ihdrEnd = 8 + 12 + png.readUInt32BE(8);
    return Buffer.concat([png.subarray(0, ihdrEnd), head, data, crc, png.subarray(ihdrEnd)]);
  }

  it('reads a compressed zTXt payload, but a compression bomb is not recognised (and not inflated)', async () => {
    const png = await image('png');
    // zTXt is Latin-1 by the PNG spec, so an ASCII instruction here.
    const ascii = { ...payload, instruction: 'Put the mug on marble' };
    const small = withChunk(png, 'zTXt', Buffer.concat([Buffer.from('proofsheet\0\0', 'latin1'), deflateSync(JSON.stringify(ascii))]));
    expect(readProvenance(small)).toEqual(ascii);
    // 64 MiB of spaces after the JSON deflate to ~64 KB; the reader stops at 1 MiB.
    const bomb = Buffer.concat([Buffer.from(JSON.stringify(payload)), Buffer.alloc(64 << 20, 0x20)]);
    // As a compressed iTXt (flag 1, method 0, no language, no translated keyword).
    const file = withChunk(png, 'iTXt', Buffer.concat([Buffer.from('proofsheet\0\x01\0\0\0', 'latin1'), deflateSync(bomb)]));
    expect(file.length).toBeLessThan(200_000);
    const heap = process.memoryUsage().arrayBuffers;
    expect(readProvenance(file)).toBeNull();
    expect(process.memoryUsage().arrayBuffers - heap).toBeLessThan(32 << 20);
  });
});
