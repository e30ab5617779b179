/**
 * Builders for the hostile-upload suite and the bench: multipart bodies, counted streams, and
 * images taken apart and put back together (PNG chunks, JPEG segments, WebP RIFF chunks).
 */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

const BOUNDARY = '----proofsheet-test-boundary';
export type Part = {
  name: string;
  filename?: string /** RFC 5987 `filename*`, already encoded. */;
  filenameStar?: string;
  type?: string;
  body: Buffer | string;
};

/** A multipart/form-data body with the parts in order. */
export function multipart(parts: Part[], boundary = BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let disposition = `form-data; name="${p.name}"`;
    if (p.filename !== undefined) disposition += `; filename="${p.filename}"`;
    if (p.filenameStar !== undefined) disposition += `; filename*=${p.filenameStar}`;
    const type = p.type ?? (p.filename !== undefined || p.filenameStar !== undefined ? 'application/octet-stream' : undefined);
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(p.body) ? p.body : Buffer.from(p.body));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

export const FORM_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** The start of a file part whose content follows (and, for an endless body, never ends). */
export function fileHead(filename: string, type = 'image/png'): Buffer {
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
  );
}

/**
 * A body of `total` bytes that starts with `head` and is made only as it is pulled, so a 1 GB
 * upload costs no memory on the sending side; `pulled` is what the reader actually took.
 * `fresh`: every chunk is new memory, as from a socket (for RSS figures), not one reused view.
 */
export function countingStream(head: Buffer, total: number, options: { chunkSize?: number; fresh?: boolean } = {}) {
  const { chunkSize = 64 * 1024, fresh = false } = options;
  const reused = Buffer.alloc(chunkSize, 0x41);
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= total) return controller.close();
      const filler = fresh ? Buffer.alloc(chunkSize, 0x41) : reused;
      const chunk = state.pulled < head.length ? head.subarray(state.pulled, state.pulled + chunkSize) : filler;
      const n = Math.min(chunk.length, total - state.pulled);
      state.pulled += n;
      controller.enqueue(chunk.subarray(0, n));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

/** A stream over existing bytes, handing out views (no copies): for many concurrent bodies. */
export function viewStream(bytes: Buffer, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

export const solid = (width: number, height: number, background = '#3366cc') =>
  sharp({ create: { width, height, channels: 3, background } });

export function noise(width: number, height: number, seed = 1): Buffer {
  const data = Buffer.alloc(width * height * 3);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data[i] = x & 0xff;
  }
  return data;
}

// --- PNG -----------------------------------------------------------------------------------

export type PngChunk = { type: string; data: Buffer };

export function pngChunks(png: Buffer): PngChunk[] {
  const out: PngChunk[] = [];
  for (let pos = 8; pos + 12 <= png.length; ) {
    const length = png.readUInt32BE(pos);
    out.push({ type: png.toString('latin1', pos + 4, pos + 8), data: png.subarray(pos + 8, pos + 8 + length) });
    pos += 12 + length;
  }
  return out;
}

export function pngChunk(type: string, data: Buffer | string): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1')]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(body.length - 4, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** Rebuilds a PNG from chunks (raw chunk buffers may be mixed in, e.g. with a bad CRC). */
export function buildPng(chunks: (PngChunk | Buffer)[]): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, ...chunks.map((c) => (Buffer.isBuffer(c) ? c : pngChunk(c.type, c.data)))]);
}

/** Inserts chunks right before the first chunk of type `before`. */
export function withPngChunks(png: Buffer, before: string, extra: PngChunk[]): Buffer {
  const chunks = pngChunks(png);
  const at = chunks.findIndex((c) => c.type === before);
  return buildPng([...chunks.slice(0, at), ...extra, ...chunks.slice(at)]);
}

/** A PNG whose IHDR claims other dimensions (the pixel data is not touched). */
export function pngClaiming(png: Buffer, width: number, height: number): Buffer {
  return buildPng(
    pngChunks(png).map((c) => {
      if (c.type !== 'IHDR') return c;
      const data = Buffer.from(c.data);
      data.writeUInt32BE(width, 0);
      data.writeUInt32BE(height, 4);
      return { type: c.type, data };
    }),
  );
}

/** An APNG decoy: the default image is `first`; a second frame (from `second`) animates in. */
export function apng(first: Buffer, second: Buffer, width: number, height: number): Buffer {
  const u32 = (...n: number[]) => Buffer.concat(n.map((v) => Buffer.from([v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff])));
  const fctl = (seq: number) => ({ type: 'fcTL', data: Buffer.concat([u32(seq, width, height, 0, 0), Buffer.from([0, 1, 0, 100, 0, 0])]) });
  const chunks = pngChunks(first);
  const idat = chunks.findIndex((c) => c.type === 'IDAT');
  const secondData = Buffer.concat(
    pngChunks(second)
      .filter((c) => c.type === 'IDAT')
      .map((c) => c.data),
  );
  return buildPng([
    ...chunks.slice(0, idat),
    { type: 'acTL', data: u32(2, 0) },
    fctl(0),
    ...chunks.slice(idat, -1),
    fctl(1),
    { type: 'fdAT', data: Buffer.concat([u32(2), secondData]) },
    chunks.at(-1)!,
  ]);
}

// --- JPEG ----------------------------------------------------------------------------------

export function jpegSegment(marker: number, data: Buffer | string): Buffer {
  const body = Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1');
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** Inserts segments right after SOI. */
export function withJpegSegments(jpeg: Buffer, segments: Buffer[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

/** Offset of the first SOFn marker (0xFFC0..0xFFC2) of a sharp-made JPEG. */
export function sofOffset(jpeg: Buffer): number {
  for (let i = 2; i < jpeg.length - 1; i++) if (jpeg[i] === 0xff && jpeg[i + 1]! >= 0xc0 && jpeg[i + 1]! <= 0xc2) return i;
  throw new Error('no SOF');
}

// --- WebP ----------------------------------------------------------------------------------

function riffChunk(fourcc: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

function riff(chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WEBP'), ...chunks]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** An animated WebP of `frames` copies of one lossless frame, built by hand (fast for 5,000). */
export async function manyFrameWebp(frames: number, size = 64): Promise<Buffer> {
  const frame = await solid(size, size, '#12ab34').webp({ lossless: true }).toBuffer();
  const vp8l = frame.subarray(12); // the one VP8L chunk of a simple lossless WebP
  const u24 = (n: number) => Buffer.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff]);
  const vp8x = Buffer.concat([Buffer.from([0x02, 0, 0, 0]), u24(size - 1), u24(size - 1)]);
  const anim = Buffer.from([0, 0, 0, 0, 0, 0]); // background colour, loop forever
  const anmf = riffChunk('ANMF', Buffer.concat([u24(0), u24(0), u24(size - 1), u24(size - 1), u24(100), Buffer.from([0]), vp8l]));
  return riff([riffChunk('VP8X', vp8x), riffChunk('ANIM', anim), ...Array.from({ length: frames }, () => anmf)]);
}
