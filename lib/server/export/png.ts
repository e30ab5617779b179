import 'server-only';
import { inflateSync } from 'node:zlib';

/**
 * PNG chunks, byte for byte (PNG spec, 3rd ed., §5.3 chunk layout, §11.3.3.4 iTXt): every
 * chunk of the original is copied unchanged, so the pixels and every other chunk are exactly
 * the provider's. Ours go just before the first IDAT, not before IEND: text chunks may sit on
 * either side, but libvips (sharp) and other metadata readers stop at the image data. Keywords: `proofsheet` (our JSON) and
 * `XML:com.adobe.xmp` (the XMP packet, as XMP Specification Part 3 §1.1.5 names it).
 */
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const PNG_KEYWORD = 'proofsheet';
export const PNG_XMP_KEYWORD = 'XML:com.adobe.xmp';
const TEXT_TYPES = new Set(['iTXt', 'tEXt', 'zTXt']);

type Chunk = { type: string; data: Buffer; raw: Buffer };

export function isPng(bytes: Buffer): boolean {
  return bytes.length >= 8 && bytes.subarray(0, 8).equals(SIGNATURE);
}

/** The chunks up to and including IEND; anything after IEND is dropped. Throws on a broken file. */
function chunks(bytes: Buffer): Chunk[] {
  if (!isPng(bytes)) throw new Error('Not a PNG file.');
  const out: Chunk[] = [];
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const end = at + 12 + length;
    if (end > bytes.length) throw new Error('A PNG chunk runs past the end of the file.');
    const type = bytes.toString('latin1', at + 4, at + 8);
    out.push({ type, data: bytes.subarray(at + 8, at + 8 + length), raw: bytes.subarray(at, end) });
    at = end;
    if (type === 'IEND') return out;
  }
  throw new Error('The PNG file has no IEND chunk.');
}

function keywordOf(chunk: Chunk): string {
  const nul = chunk.data.indexOf(0);
  return chunk.data.toString('latin1', 0, nul < 0 ? chunk.data.length : nul);
}

/** An uncompressed iTXt chunk: keyword, flags 0/0, no language, no translated keyword. */
function iTXt(keyword: string, text: string): Buffer {
  const data = Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]);
  return chunk('iTXt', data);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** The PNG with our two iTXt chunks before the image data (earlier copies of either are replaced). */
export function embedPng(bytes: Buffer, json: string, xmp: string): Buffer {
  const kept = chunks(bytes).filter((c) => !(TEXT_TYPES.has(c.type) && isOurs(keywordOf(c))));
  const at = kept.findIndex((c) => c.type === 'IDAT');
  if (at < 1) throw new Error('The PNG file has no image data.');
  const ours = [iTXt(PNG_KEYWORD, json), iTXt(PNG_XMP_KEYWORD, xmp)];
  return Buffer.concat([SIGNATURE, ...kept.slice(0, at).map((c) => c.raw), ...ours, ...kept.slice(at).map((c) => c.raw)]);
}

function isOurs(keyword: string): boolean {
  return keyword === PNG_KEYWORD || keyword === PNG_XMP_KEYWORD;
}

/**
 * Every upload is read for provenance: a compressed text chunk of a few KB could inflate to
 * gigabytes (a zip bomb). Ours is a few KB; past 1 MiB inflating throws, and the file is simply
 * not recognised.
 */
const INFLATE_LIMIT = { maxOutputLength: 1 << 20 };

/** The text of the first text chunk with this keyword (iTXt compressed or not, tEXt, zTXt). */
export function readPngText(bytes: Buffer, keyword: string): string | null {
  for (const c of chunks(bytes)) {
    if (!TEXT_TYPES.has(c.type) || keywordOf(c) !== keyword) continue;
    const rest = c.data.subarray(keyword.length + 1);
    if (c.type === 'tEXt') return rest.toString('latin1');
    if (c.type === 'zTXt') return inflateSync(rest.subarray(1), INFLATE_LIMIT).toString('latin1');
    // iTXt: compression flag, method, language\0, translated keyword\0, text.
    const compressed = rest[0] === 1;
    const lang = rest.indexOf(0, 2);
    const translated = lang < 0 ? -1 : rest.indexOf(0, lang + 1);
    if (translated < 0) return null;
    const text = rest.subarray(translated + 1);
    return (compressed ? inflateSync(text, INFLATE_LIMIT) : text).toString('utf8');
  }
  return null;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 as PNG computes it over type and data (PNG spec Annex D). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
