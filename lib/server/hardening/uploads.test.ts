import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';
import {
  apng,
  buildPng,
  countingStream,
  fileHead,
  FORM_TYPE,
  jpegSegment,
  manyFrameWebp,
  multipart,
  noise,
  pngChunk,
  pngChunks,
  pngClaiming,
  solid,
  sofOffset,
  viewStream,
  withJpegSegments,
  withPngChunks,
} from './upload-fixtures';

// The hostile-upload catalogue of the hardening review, each case through the real route
// handler with a Request built here, asserting what was answered and what was (not) stored.
useTempDataDir();
const { POST } = await import('@/app/api/uploads/route');
const { db } = await import('../db/client');
const { blobKey, blobStore } = await import('../storage');
const { inspectContainer } = await import('../images/container');
const { gateLoad } = await import('../uploads/gates');

const MB = 1024 * 1024;
type Answer = {
  status: number;
  headers: Headers;
  json: {
    asset?: { sha256: string; mime: string; width: number; height: number };
    notes?: string[];
    error?: { code: string; message: string };
  };
};

/** What the studio's own fetch sends besides the body (the route checks the perimeter itself). */
const STUDIO = { host: '127.0.0.1:3000', 'x-proofsheet': '1', 'sec-fetch-site': 'same-origin' };

async function send(body: BodyInit | null, headers: Record<string, string> = { 'content-type': FORM_TYPE }): Promise<Answer> {
  const init = { method: 'POST', body, headers: { ...STUDIO, ...headers }, duplex: 'half' };
  const res = await POST(new Request('http://127.0.0.1:3000/api/uploads', init as RequestInit));
  return { status: res.status, headers: res.headers, json: await res.json() };
}
const upload = (bytes: Buffer, filename = 'image.png', type = 'image/png') =>
  send(new Uint8Array(multipart([{ name: 'file', filename, type, body: bytes }])));
const assetCount = () => db().asset.count();
const original = async (a: Answer) => (await blobStore().get(blobKey(a.json.asset!.sha256)))!;

/** Refused with this status and code, and nothing new in the asset table. */
async function expectRefused(run: () => Promise<Answer>, status: number, code: string, message?: string | RegExp): Promise<Answer> {
  const before = await assetCount();
  const a = await run();
  expect(a.status, JSON.stringify(a.json)).toBe(status);
  expect(a.json.error?.code).toBe(code);
  if (message !== undefined) expect(a.json.error?.message).toMatch(message);
  expect(await assetCount()).toBe(before);
  return a;
}

/** Accepted, re-encoded (never the bytes sent), with a stored original that carries nothing but the image. */
async function expectCleaned(sent: Buffer, a: Answer, note?: string): Promise<Buffer> {
  expect(a.status, JSON.stringify(a.json)).toBe(201);
  const stored = await original(a);
  expect(stored.equals(sent)).toBe(false);
  const mime = a.json.asset!.mime as 'image/png' | 'image/jpeg' | 'image/webp';
  expect([...inspectContainer(stored, mime).findings]).toEqual([]);
  const meta = await sharp(stored).metadata();
  expect([meta.exif, meta.xmp, meta.icc, meta.comments, meta.pages ?? 1, meta.depth]).toEqual([
    undefined,
    undefined,
    undefined,
    undefined,
    1,
    'uchar',
  ]);
  if (note) expect(a.json.notes).toContain(note);
  return stored;
}

let png: Buffer;
beforeAll(async () => {
  png = await solid(200, 120).png().toBuffer();
});

describe('the body: size on the stream, one file, few fields', () => {
  it('refuses a chunked 1 GB upload after ~10 MB is read, and reads no further than the drain cap', async () => {
    const { stream, state } = countingStream(fileHead('huge.png'), 1024 * MB);
    const a = await expectRefused(() => send(stream), 413, 'payload_too_large', '“huge.png” is larger than 10 MB, the limit per image.');
    expect(a.status).toBe(413);
    expect(state.pulled).toBeGreaterThan(10 * MB);
    expect(state.pulled).toBeLessThan(11 * MB);
    await new Promise((r) => setTimeout(r, 300));
    expect(state.pulled).toBeLessThan(28 * MB);
    expect(state.cancelled).toBe(true);
  });

  it('refuses a cross-site post before reading its body', async () => {
    const { stream, state } = countingStream(fileHead('x.png'), 64 * MB);
    const a = await expectRefused(
      () => send(stream, { 'content-type': FORM_TYPE, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }),
      403,
      'forbidden',
      'Cross-site requests are not accepted.',
    );
    expect(a.json.error!.code).toBe('forbidden');
    expect(state.pulled).toBeLessThanOrEqual(128 * 1024);
  });

  it('refuses a Content-Length over the limit before reading the body', async () => {
    const { stream, state } = countingStream(Buffer.alloc(0), 20 * MB);
    await expectRefused(() => send(stream, { 'content-type': FORM_TYPE, 'content-length': String(20 * MB) }), 413, 'payload_too_large');
    expect(state.pulled).toBeLessThanOrEqual(128 * 1024);
  });

  it('refuses a second file part', async () => {
    const body = multipart([
      { name: 'file', filename: 'a.png', type: 'image/png', body: png },
      { name: 'file', filename: 'b.png', type: 'image/png', body: png },
      ...Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}`, body: 'x' })),
    ]);
    await expectRefused(() => send(new Uint8Array(body)), 400, 'invalid_input', 'Send one file per upload.');
  });

  it('refuses 10,000 fields', async () => {
    const body = multipart([
      ...Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}`, body: 'x' })),
      { name: 'file', filename: 'a.png', body: png },
    ]);
    await expectRefused(() => send(new Uint8Array(body)), 400, 'invalid_input', 'The form has too many fields.');
  });

  it('refuses a 64 KB file name (a malformed part header) without echoing it', async () => {
    const name = `${'n'.repeat(32 * 1024)}\u202e${'m'.repeat(32 * 1024)}.png`;
    const a = await expectRefused(() => upload(png, name), 400, 'invalid_input');
    expect(a.json.error!.message).not.toContain('nnnn');
  });

  it('cuts a long name with CR/LF and U+202E to 80 clean characters in the message', async () => {
    const name = `evil\r\nSet-Cookie: x=1\u202egnp.exe${'z'.repeat(2000)}`;
    const a = await expectRefused(
      () => send(new Uint8Array(multipart([{ name: 'file', filenameStar: `utf-8''${encodeURIComponent(name)}`, body: 'not an image' }]))),
      415,
      'unsupported_media',
    );
    const shown = /^“(.*)” is not a JPEG, PNG or WebP image\.$/su.exec(a.json.error!.message)![1]!;
    expect(Array.from(shown)).toHaveLength(80);
    expect(shown).toMatch(/^evil Set-Cookie: x=1gnp\.exez+…$/);
    expect(shown).not.toMatch(/[\r\n\u202e]/);
  });

  it('refuses an empty body, a text part, and a zero-byte file', async () => {
    await expectRefused(() => send(new Uint8Array(0)), 400, 'invalid_input');
    await expectRefused(
      () => send(new Uint8Array(multipart([{ name: 'file', body: 'just text' }]))),
      400,
      'invalid_input',
      'No file was sent.',
    );
    await expectRefused(() => upload(Buffer.alloc(0), 'empty.png'), 400, 'invalid_input', '“empty.png” is empty.');
  });

  it('refuses a body that is not multipart', async () => {
    await expectRefused(() => send(new Uint8Array(png), { 'content-type': 'image/png' }), 400, 'invalid_input');
  });
});

describe('the type: by magic bytes, and the decoder must agree', () => {
  it('refuses an SVG with a script named .png', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(1)</script></svg>';
    await expectRefused(
      () => upload(Buffer.from(svg), 'logo.png'),
      415,
      'unsupported_media',
      '“logo.png” is not a JPEG, PNG or WebP image.',
    );
  });

  it('refuses GIF, TIFF, BMP, AVIF, HEIC and JXL renamed .jpg', async () => {
    const img = solid(80, 80);
    const bmp = Buffer.concat([Buffer.from('BM'), Buffer.alloc(52)]);
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(64)]);
    const jxl = Buffer.concat([Buffer.from([0xff, 0x0a]), Buffer.alloc(64)]);
    const files = [
      await img.clone().gif().toBuffer(),
      await img.clone().tiff().toBuffer(),
      bmp,
      await img.clone().avif().toBuffer(),
      heic,
      jxl,
    ];
    for (const bytes of files) await expectRefused(() => upload(bytes, 'photo.jpg', 'image/jpeg'), 415, 'unsupported_media');
  });

  it('refuses a PNG signature followed by HTML', async () => {
    const polyglot = Buffer.concat([png.subarray(0, 8), Buffer.from('<html><script>alert(1)</script></html>')]);
    await expectRefused(() => upload(polyglot, 'x.png'), 400, 'invalid_input', '“x.png” could not be read as an image.');
  });

  it('stores a WebP named .png as the WebP it is', async () => {
    const webp = await solid(100, 100).webp().toBuffer();
    const a = await upload(webp, 'really.png', 'image/png');
    expect(a.status).toBe(201);
    expect(a.json.asset!.mime).toBe('image/webp');
  });
});

describe('what an original may carry: kept only when provably clean', () => {
  it('keeps a clean PNG and a clean baseline JPEG byte for byte', async () => {
    const jpeg = await solid(300, 200).jpeg().toBuffer();
    for (const [bytes, name] of [
      [png, 'clean.png'],
      [jpeg, 'clean.jpg'],
    ] as const) {
      const a = await upload(bytes, name);
      expect(a.status).toBe(201);
      expect((await original(a)).equals(bytes)).toBe(true);
      expect(a.json.notes).toEqual([]);
    }
  });

  it('drops HTML after IEND (no polyglot on our origin)', async () => {
    const sent = Buffer.concat([png, Buffer.from('<html><script>alert(document.cookie)</script></html>')]);
    const stored = await expectCleaned(sent, await upload(sent, 'poly.png'), 'Data after the end of the image removed.');
    expect(stored.includes('<script')).toBe(false);
    expect(stored.subarray(-8, -4).toString('latin1')).toBe('IEND');
  });

  it('drops a ZIP appended to a PNG', async () => {
    const zip = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.alloc(200, 7),
      Buffer.from([0x50, 0x4b, 0x05, 0x06]),
      Buffer.alloc(18),
    ]);
    const sent = Buffer.concat([png, zip]);
    const stored = await expectCleaned(sent, await upload(sent, 'zip.png'), 'Data after the end of the image removed.');
    expect(stored.includes(Buffer.from([0x50, 0x4b, 0x03, 0x04]))).toBe(false);
  });

  it('drops a 5 MB private chunk', async () => {
    const sent = withPngChunks(png, 'IEND', [{ type: 'prVt', data: Buffer.alloc(5 * MB, 0x42) }]);
    const stored = await expectCleaned(sent, await upload(sent, 'private.png'), 'Unrecognised data blocks removed.');
    expect(stored.length).toBeLessThan(64 * 1024);
  });

  it('converts a Display-P3 PNG to sRGB and drops its profile', async () => {
    const sent = await solid(120, 120, '#c04040').withIccProfile('p3').png().toBuffer();
    expect(pngChunks(sent).some((c) => c.type === 'iCCP')).toBe(true);
    const stored = await expectCleaned(sent, await upload(sent, 'p3.png'), 'Colour profile converted to sRGB.');
    expect(pngChunks(stored).map((c) => c.type)).not.toContain('iCCP');
  });

  it('drops tEXt, iTXt and eXIf with GPS', async () => {
    const exif = await solid(200, 120)
      .png()
      .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
      .toBuffer();
    const sent = withPngChunks(exif, 'IDAT', [
      { type: 'tEXt', data: Buffer.from('GPSPosition\x0051.5 N, 0.12 W', 'latin1') },
      { type: 'iTXt', data: Buffer.from('Location\x00\x00\x00\x00\x00Home, 1 Secret Lane', 'latin1') },
    ]);
    const stored = await expectCleaned(sent, await upload(sent, 'gps.png'), 'Metadata removed (EXIF, GPS, XMP).');
    expect(
      pngChunks(stored)
        .map((c) => c.type)
        .filter((t) => ['tEXt', 'iTXt', 'zTXt', 'eXIf'].includes(t)),
    ).toEqual([]);
    expect(stored.includes('Secret Lane')).toBe(false);
    expect(stored.includes('GPS')).toBe(false);
  });

  it('drops EXIF, XMP and ICCP from a WebP', async () => {
    const sent = await solid(150, 100)
      .webp()
      .withExif({ IFD0: { Make: 'PhoneCo' } })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>')
      .withIccProfile('p3')
      .toBuffer();
    const stored = await expectCleaned(sent, await upload(sent, 'meta.webp'), 'Metadata removed (EXIF, GPS, XMP).');
    expect(stored.includes('PhoneCo')).toBe(false);
  });

  it('flattens an animated WebP decoy to its first frame', async () => {
    const w = 80;
    // Frame 0 innocent (green), frame 1 the decoy (red), stacked as pages.
    const strip = Buffer.concat([await solid(w, w, '#00ff00').raw().toBuffer(), await solid(w, w, '#ff0000').raw().toBuffer()]);
    const sent = await sharp(strip, { raw: { width: w, height: w * 2, channels: 3, pageHeight: w } })
      .webp({ loop: 0, delay: [100, 100], lossless: true })
      .toBuffer();
    expect((await sharp(sent).metadata()).pages).toBe(2);
    const stored = await expectCleaned(sent, await upload(sent, 'decoy.webp'), 'Animated image: only its first frame was kept.');
    const { data } = await sharp(stored).raw().toBuffer({ resolveWithObject: true });
    const [r, g] = data; // frame 0 is green, whatever lossy rounding does
    expect([r! < 8, g! > 247]).toEqual([true, true]);
  });

  it('flattens an APNG decoy to its default image', async () => {
    const first = await solid(100, 100, '#00ff00').png().toBuffer();
    const second = await solid(100, 100, '#ff0000').png().toBuffer();
    const sent = apng(first, second, 100, 100);
    const stored = await expectCleaned(sent, await upload(sent, 'decoy.png'), 'Animated image: only its first frame was kept.');
    expect(
      pngChunks(stored)
        .map((c) => c.type)
        .filter((t) => ['acTL', 'fcTL', 'fdAT'].includes(t)),
    ).toEqual([]);
  });

  it('reads one frame of a 5,000-frame WebP', async () => {
    const sent = await manyFrameWebp(5000);
    expect((await sharp(sent).metadata()).pages).toBe(5000);
    const started = Date.now();
    await expectCleaned(sent, await upload(sent, 'frames.webp'), 'Animated image: only its first frame was kept.');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('keeps transparency when it re-encodes a grey image with alpha', async () => {
    const grey = await sharp({ create: { width: 100, height: 100, channels: 4, background: { r: 90, g: 90, b: 90, alpha: 0.5 } } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const sent = Buffer.concat([grey, Buffer.from('trailing')]);
    const stored = await expectCleaned(sent, await upload(sent, 'shadow.png'), 'Data after the end of the image removed.');
    const { data, info } = await sharp(stored).raw().toBuffer({ resolveWithObject: true });
    expect([info.channels, data[info.channels - 1]]).toEqual([4, 128]);
  });

  it('reduces 16-bit grey and RGB PNGs to 8 bits', async () => {
    for (const space of ['grey16', 'rgb16']) {
      const sent = await solid(120, 90, '#808080').toColourspace(space).png().toBuffer();
      expect((await sharp(sent).metadata()).depth).toBe('ushort');
      await expectCleaned(sent, await upload(sent, `${space}.png`), 'Reduced to 8 bits per channel.');
    }
  });
});

describe('pixels, sides and aspect: refused from the header, before any decode', () => {
  it('refuses a header claiming 100000×100000', async () => {
    await expectRefused(
      () => upload(pngClaiming(png, 100_000, 100_000), 'claim.png'),
      400,
      'invalid_input',
      '“claim.png” is 100000×100000 (10000 MP); the limit is 40 MP.',
    );
  });

  it('refuses 40,000,001×1 without rounding it down to the limit', async () => {
    await expectRefused(
      () => upload(pngClaiming(png, 40_000_001, 1), 'line.png'),
      400,
      'invalid_input',
      '“line.png” is 40000001×1 (over 40 MP); the limit is 40 MP.',
    );
  });

  it('refuses 2048×1 and 1×2048 (minimum side) and 1024×100 (aspect)', async () => {
    await expectRefused(
      async () => upload(await solid(2048, 1).png().toBuffer(), 'strip.png'),
      400,
      'invalid_input',
      '“strip.png” is 2048×1; images must be at least 64 px on each side.',
    );
    await expectRefused(
      async () => upload(await solid(1, 2048).png().toBuffer(), 'pole.png'),
      400,
      'invalid_input',
      /at least 64 px on each side/,
    );
    await expectRefused(
      async () => upload(await solid(1024, 100).png().toBuffer(), 'wide.png'),
      400,
      'invalid_input',
      '“wide.png” is 1024×100; the long side can be at most 8 times the short side.',
    );
  });

  it('refuses a JPEG whose SOF claims 65500×65500', async () => {
    const jpeg = Buffer.from(await solid(100, 100).jpeg().toBuffer());
    const sof = sofOffset(jpeg);
    jpeg.writeUInt16BE(65500, sof + 5);
    jpeg.writeUInt16BE(65500, sof + 7);
    await expectRefused(() => upload(jpeg, 'sof.jpg'), 400, 'invalid_input', /is 65500×65500 \(4290 MP\); the limit is 40 MP\.$/);
  });

  it('refuses eight 16-bit interlaced bombs at once, from their headers, in well under a second each', async () => {
    const bomb = await sharp({ create: { width: 3000, height: 3000, channels: 4, background: '#336699' } })
      .toColourspace('rgb16')
      .png({ progressive: true, compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(200 * 1024); // ~114 KB on disk, 144 MB as 16-bit RGBA
    const started = Date.now();
    const before = await assetCount();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => upload(bomb, `bomb-${i}.png`)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(400));
    expect(answers[0]!.json.error!.message).toBe('“bomb-0.png” is 3000×3000 (9 MP); the limit for interlaced 16-bit images is 8 MP.');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await assetCount()).toBe(before);
  });

  it('decodes at most two images at once when eight heavy ones arrive together', async () => {
    const images = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        solid(2000, 2000, `#${(0x336699 + i * 0x0a0a0a).toString(16)}`)
          .toColourspace('rgb16')
          .png({ progressive: true })
          .toBuffer(),
      ),
    );
    let most = 0;
    const sampler = setInterval(() => (most = Math.max(most, gateLoad().decoding)), 2);
    const answers = await Promise.all(images.map((bytes, i) => upload(bytes, `heavy-${i}.png`)));
    clearInterval(sampler);
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(most).toBe(2);
    expect(answers[0]!.json.notes).toContain('Reduced to 8 bits per channel.');
  }, 60_000);
});

describe('JPEG: codings, scans and segments', () => {
  it('converts a CMYK JPEG to RGB', async () => {
    const sent = await solid(200, 120, '#c04040').toColourspace('cmyk').jpeg().toBuffer();
    const stored = await expectCleaned(sent, await upload(sent, 'print.jpg'), 'Converted from CMYK to RGB.');
    expect((await sharp(stored).metadata()).space).toBe('srgb');
  });

  it('refuses 12-bit and lossless JPEGs, and re-encodes an arithmetic-coded one', async () => {
    const jpeg = await sharp(noise(200, 120), { raw: { width: 200, height: 120, channels: 3 } })
      .jpeg()
      .toBuffer();
    const patched = (at: number, value: number) => {
      const j = Buffer.from(jpeg);
      j[sofOffset(j) + at] = value;
      return j;
    };
    await expectRefused(() => upload(patched(4, 12), '12bit.jpg'), 400, 'invalid_input', '“12bit.jpg” could not be read as an image.');
    await expectRefused(
      () => upload(patched(1, 0xc3), 'lossless.jpg'),
      400,
      'invalid_input',
      '“lossless.jpg” could not be read as an image.',
    );
    const arithmetic = patched(1, 0xc9);
    await expectCleaned(arithmetic, await upload(arithmetic, 'arith.jpg'), 'Re-encoded as a standard JPEG.');
  });

  it('refuses a progressive JPEG with thousands of scans before decoding it', async () => {
    const prog = await solid(64, 64).jpeg({ progressive: true }).toBuffer();
    const lastScan = prog.lastIndexOf(Buffer.from([0xff, 0xda]));
    const scan = prog.subarray(lastScan, prog.length - 2); // a refinement scan, repeated
    const sent = Buffer.concat([prog.subarray(0, prog.length - 2), ...Array(3000).fill(scan), Buffer.from([0xff, 0xd9])]);
    expect(sent.length).toBeLessThan(10 * MB);
    await expectRefused(
      () => upload(sent, 'scans.jpg'),
      400,
      'invalid_input',
      /^“scans\.jpg” has 30\d\d progressive scans; at most 100 are accepted\.$/,
    );
  });

  it('rotates, and drops GPS, MakerNote, APP13, ICC, COM and bytes after EOI', async () => {
    const base = await solid(300, 100, '#ff0000')
      .jpeg()
      .withExif({
        IFD0: { Make: 'PhoneCo' },
        IFD2: { MakerNote: 'SecretMakerNote' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' },
      })
      .withIccProfile('p3')
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const sent = Buffer.concat([
      withJpegSegments(base, [jpegSegment(0xed, 'Photoshop 3.0\x008BIM\x04\x04SecretIptc'), jpegSegment(0xfe, 'SecretComment')]),
      Buffer.from('<html><script>alert(1)</script></html>'),
    ]);
    const a = await upload(sent, 'phone.jpg', 'image/jpeg');
    const stored = await expectCleaned(sent, a, 'Rotated to match its camera orientation.');
    expect(a.json.notes).toEqual(
      expect.arrayContaining([
        'Metadata removed (EXIF, GPS, XMP).',
        'Colour profile converted to sRGB.',
        'Data after the end of the image removed.',
      ]),
    );
    expect([a.json.asset!.width, a.json.asset!.height]).toEqual([100, 300]);
    for (const secret of ['PhoneCo', 'SecretMakerNote', 'SecretIptc', 'SecretComment', '<script', 'GPS'])
      expect(stored.includes(secret)).toBe(false);
  });
});

describe('damaged files: refused plainly or re-encoded, decoder text never shown', () => {
  const noisy = () =>
    sharp(noise(200, 120), { raw: { width: 200, height: 120, channels: 3 } })
      .png()
      .toBuffer();

  it('refuses a truncated IDAT and a bad CRC', async () => {
    const chunks = pngChunks(await noisy());
    const half = buildPng(chunks.map((c) => (c.type === 'IDAT' ? { type: 'IDAT', data: c.data.subarray(0, c.data.length >> 1) } : c)));
    await expectRefused(() => upload(half, 'half.png'), 400, 'invalid_input', '“half.png” could not be read as an image.');
    const idat = chunks.find((c) => c.type === 'IDAT')!;
    const badCrc = Buffer.from(pngChunk('IDAT', idat.data));
    badCrc.writeUInt32BE((badCrc.readUInt32BE(badCrc.length - 4) ^ 1) >>> 0, badCrc.length - 4);
    await expectRefused(
      () => upload(buildPng(chunks.map((c) => (c.type === 'IDAT' ? badCrc : c))), 'crc.png'),
      400,
      'invalid_input',
      '“crc.png” could not be read as an image.',
    );
  });

  it('re-encodes a PNG with no IEND, and says so', async () => {
    const sent = buildPng(pngChunks(await noisy()).filter((c) => c.type !== 'IEND'));
    await expectCleaned(sent, await upload(sent, 'open.png'), 'Re-encoded from a slightly damaged file: check that it looks right.');
  });

  it('refuses a WebP whose RIFF size is wrong either way, and strips bytes after a right one', async () => {
    const webp = await solid(200, 120).webp().toBuffer();
    for (const delta of [1000, -8]) {
      const w = Buffer.from(webp);
      w.writeUInt32LE(w.readUInt32LE(4) + delta, 4);
      await expectRefused(() => upload(w, 'riff.webp'), 400, 'invalid_input', '“riff.webp” could not be read as an image.');
    }
    const trailing = Buffer.concat([webp, Buffer.from('<html></html>')]);
    const stored = await expectCleaned(trailing, await upload(trailing, 'tail.webp'), 'Data after the end of the image removed.');
    expect(stored.readUInt32LE(4) + 8).toBe(stored.length);
  });

  it('decodes a 6324² single-colour lossless WebP (40 MP in 2 KB) down to 2048 px', async () => {
    const sent = await solid(6324, 6324).webp({ lossless: true }).toBuffer();
    expect(sent.length).toBeLessThan(8 * 1024);
    const a = await upload(sent, 'flat.webp');
    expect(a.status).toBe(201);
    expect([a.json.asset!.width, a.json.asset!.height]).toEqual([2048, 2048]);
    expect(a.json.notes).toEqual(['Downscaled from 6324×6324 to fit 2048 px.']);
  }, 60_000);
});

describe('many at once: a short queue, then 503 with Retry-After, never 500', () => {
  let nineMb: Buffer;
  beforeAll(async () => {
    nineMb = await sharp(noise(1750, 1750, 7), { raw: { width: 1750, height: 1750, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
  });
  const nineMbUpload = (name: string) => send(viewStream(multipart([{ name: 'file', filename: name, type: 'image/png', body: nineMb }])));

  it('stores the same 9 MB file sent 20 times at once as one asset', async () => {
    expect(nineMb.length).toBeGreaterThan(9 * 1000 * 1000);
    expect(nineMb.length).toBeLessThan(10 * MB);
    const before = await assetCount();
    const answers = await Promise.all(Array.from({ length: 20 }, () => nineMbUpload('same.png')));
    const ok = answers.filter((a) => a.status === 201);
    const busy = answers.filter((a) => a.status === 503);
    expect(ok.length + busy.length).toBe(20);
    expect(ok.length).toBe(8);
    expect(new Set(ok.map((a) => a.json.asset!.sha256)).size).toBe(1);
    for (const a of busy) {
      expect(a.headers.get('retry-after')).toBe('2');
      expect(a.json.error!.code).toBe('unavailable');
    }
    expect(await assetCount()).toBe(before + 1);
    expect((await original(ok[0]!)).equals(nineMb)).toBe(true);
  }, 60_000);

  it('answers 100 concurrent 9 MB uploads with 201 or 503 only', async () => {
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => nineMbUpload(`many-${i}.png`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201).length).toBe(8);
    expect(statuses.filter((s) => s === 503).length).toBe(92);
    expect(gateLoad()).toEqual({ decoding: 0, waiting: 0, uploads: 0 });
  }, 60_000);
});
