import 'server-only';

/**
 * WebP RIFF chunks (developers.google.com/speed/webp/docs/riff_container: "Extended file
 * format"). XMP lives in an `XMP ` chunk after the image data and needs the extended header
 * (VP8X) with its XMP flag set; a simple file (VP8 or VP8L alone) gets a VP8X chunk whose
 * canvas size is read from the bitstream header. Image data is copied unchanged.
 */
const VP8X_XMP = 0x04;
const VP8X_ALPHA = 0x10;

type Chunk = { fourcc: string; data: Buffer };

export function isWebp(bytes: Buffer): boolean {
  return bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP';
}

function chunks(bytes: Buffer): Chunk[] {
  if (!isWebp(bytes)) throw new Error('Not a WebP file.');
  const end = Math.min(bytes.length, 8 + bytes.readUInt32LE(4));
  const out: Chunk[] = [];
  let at = 12;
  while (at + 8 <= end) {
    const size = bytes.readUInt32LE(at + 4);
    if (at + 8 + size > end) throw new Error('A WebP chunk runs past the end of the file.');
    out.push({ fourcc: bytes.toString('latin1', at, at + 4), data: bytes.subarray(at + 8, at + 8 + size) });
    at += 8 + size + (size & 1);
  }
  if (out.length === 0) throw new Error('The WebP file has no chunks.');
  return out;
}

function encodeChunk(c: Chunk): Buffer {
  const head = Buffer.alloc(8);
  head.write(c.fourcc, 0, 'latin1');
  head.writeUInt32LE(c.data.length, 4);
  return Buffer.concat(c.data.length & 1 ? [head, c.data, Buffer.alloc(1)] : [head, c.data]);
}

/** Canvas size and alpha of a simple file's bitstream (VP8: RFC 6386 §9.1; VP8L: §3.2 of its spec). */
function simpleHeader(c: Chunk): { width: number; height: number; alpha: boolean } {
  const d = c.data;
  if (c.fourcc === 'VP8 ' && d.length >= 10 && d[3] === 0x9d && d[4] === 0x01 && d[5] === 0x2a) {
    return { width: d.readUInt16LE(6) & 0x3fff, height: d.readUInt16LE(8) & 0x3fff, alpha: false };
  }
  if (c.fourcc === 'VP8L' && d.length >= 5 && d[0] === 0x2f) {
    const bits = d.readUInt32LE(1);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, alpha: ((bits >>> 28) & 1) === 1 };
  }
  throw new Error('The WebP bitstream header is not recognised.');
}

export function embedWebp(bytes: Buffer, xmp: string): Buffer {
  const list = chunks(bytes).filter((c) => c.fourcc !== 'XMP ');
  let first = list[0]!;
  if (first.fourcc === 'VP8X') {
    const data = Buffer.from(first.data);
    data[0] = data[0]! | VP8X_XMP;
    first = { fourcc: 'VP8X', data };
    list[0] = first;
  } else {
    const { width, height, alpha } = simpleHeader(first);
    const data = Buffer.alloc(10);
    data[0] = VP8X_XMP | (alpha ? VP8X_ALPHA : 0);
    data.writeUIntLE(width - 1, 4, 3);
    data.writeUIntLE(height - 1, 7, 3);
    list.unshift({ fourcc: 'VP8X', data });
  }
  list.push({ fourcc: 'XMP ', data: Buffer.from(xmp, 'utf8') });
  const body = Buffer.concat(list.map(encodeChunk));
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(4 + body.length, 4);
  head.write('WEBP', 8, 'latin1');
  return Buffer.concat([head, body]);
}

export function readWebpXmp(bytes: Buffer): string | null {
  const c = chunks(bytes).find((x) => x.fourcc === 'XMP ');
  return c ? c.data.toString('utf8') : null;
}
