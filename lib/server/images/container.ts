import 'server-only';
import { crc32 } from 'node:zlib';
import type { ImageMime } from '../providers/types';

/**
 * What a file carries besides one plain image. Any finding means the original is not kept byte
 * for byte: it is re-encoded, which drops everything listed here.
 */
export type ContainerFinding =
  | 'metadata' // EXIF, XMP, IPTC, text chunks, comments, timestamps
  | 'colour-profile' // an embedded ICC profile
  | 'animation' // APNG, animated WebP
  | 'trailing-data' // bytes after the image's end marker (a polyglot: HTML, ZIP, ...)
  | 'unknown-blocks' // chunks or segments outside the known list (private chunks included)
  | 'high-bit-depth' // 16-bit PNG, 12-bit JPEG
  | 'unusual-coding' // CMYK, arithmetic or lossless JPEG, too many progressive scans
  | 'malformed'; // truncated, bad CRC, sizes that do not add up

export type ContainerReport = { findings: Set<ContainerFinding> /** JPEG only. */; scans: number };

/**
 * PNG chunks a clean original may contain: the critical ones and ancillary chunks that only
 * describe how to show the pixels. Everything else (tEXt, iTXt, zTXt, eXIf, tIME, iCCP, acTL,
 * fcTL, fdAT, sPLT, private chunks) is a finding.
 */
const PNG_KNOWN_CHUNKS = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'pHYs', 'sBIT', 'bKGD']);
const PNG_METADATA = new Set(['tEXt', 'iTXt', 'zTXt', 'eXIf', 'tIME']);
const PNG_ANIMATION = new Set(['acTL', 'fcTL', 'fdAT']);

/** Beyond this many scans a progressive JPEG is refused: each one is a pass over the image. */
export const MAX_JPEG_SCANS = 100;

/** Walks the container of a sniffed JPEG, PNG or WebP and lists what it carries. */
export function inspectContainer(bytes: Buffer, mime: ImageMime): ContainerReport {
  const findings = new Set<ContainerFinding>();
  let scans = 0;
  if (mime === 'image/png') walkPng(bytes, findings);
  else if (mime === 'image/webp') walkWebp(bytes, findings);
  else scans = walkJpeg(bytes, findings);
  return { findings, scans };
}

function walkPng(b: Buffer, f: Set<ContainerFinding>): void {
  let pos = 8;
  let first = true;
  while (pos + 12 <= b.length) {
    const length = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > b.length) return void f.add('malformed');
    if (crc32(b.subarray(pos + 4, pos + 8 + length)) !== b.readUInt32BE(pos + 8 + length)) f.add('malformed');
    if (first && (type !== 'IHDR' || length !== 13)) f.add('malformed');
    if (type === 'IHDR' && length === 13 && b[pos + 16] === 16) f.add('high-bit-depth');
    first = false;
    if (PNG_METADATA.has(type)) f.add('metadata');
    else if (PNG_ANIMATION.has(type)) f.add('animation');
    else if (type === 'iCCP') f.add('colour-profile');
    else if (!PNG_KNOWN_CHUNKS.has(type)) f.add('unknown-blocks');
    pos = end;
    if (type === 'IEND') {
      if (pos !== b.length) f.add('trailing-data');
      return;
    }
  }
  f.add('malformed'); // no IEND
}

function walkWebp(b: Buffer, f: Set<ContainerFinding>): void {
  if (b.length < 20) return void f.add('malformed');
  const riffEnd = 8 + b.readUInt32LE(4);
  if (riffEnd < b.length) f.add('trailing-data');
  if (riffEnd > b.length || riffEnd % 2 === 1) f.add('malformed');
  const end = Math.min(riffEnd, b.length);
  let pos = 12;
  let images = 0;
  while (pos + 8 <= end) {
    const fourcc = b.toString('latin1', pos, pos + 4);
    const size = b.readUInt32LE(pos + 4);
    const next = pos + 8 + size + (size % 2);
    if (next > end) return void f.add('malformed');
    if (fourcc === 'VP8 ' || fourcc === 'VP8L') images++;
    else if (fourcc === 'VP8X') {
      // Flags: 0x20 ICC, 0x08 EXIF, 0x04 XMP, 0x02 animation; the chunks themselves are checked too.
      const flags = b[pos + 8] ?? 0;
      if (flags & 0x20) f.add('colour-profile');
      if (flags & 0x0c) f.add('metadata');
      if (flags & 0x02) f.add('animation');
    } else if (fourcc === 'ICCP') f.add('colour-profile');
    else if (fourcc === 'EXIF' || fourcc === 'XMP ') f.add('metadata');
    else if (fourcc === 'ANIM' || fourcc === 'ANMF') f.add('animation');
    else if (fourcc !== 'ALPH') f.add('unknown-blocks');
    pos = next;
  }
  if (images > 1) f.add('animation');
  if (pos !== end || (images === 0 && !f.has('animation'))) f.add('malformed');
}

/** Returns the number of scans. Markers: ITU T.81 table B.1. */
function walkJpeg(b: Buffer, f: Set<ContainerFinding>): number {
  let pos = 2;
  let scans = 0;
  while (pos + 1 < b.length) {
    if (b[pos] !== 0xff) break;
    while (pos < b.length && b[pos] === 0xff) pos++; // fill bytes
    const marker = b[pos++] ?? 0;
    if (marker === 0xd9) {
      if (pos !== b.length) f.add('trailing-data');
      return scans;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // no length
    if (pos + 2 > b.length) break;
    const length = b.readUInt16BE(pos);
    const segmentEnd = pos + length;
    if (length < 2 || segmentEnd > b.length) break;
    classifyJpegSegment(marker, b.subarray(pos + 2, segmentEnd), f);
    pos = segmentEnd;
    if (marker === 0xda) {
      scans++;
      pos = skipEntropyCoded(b, pos);
    }
  }
  f.add('malformed'); // no EOI, or a segment that does not fit
  return scans;
}

const JPEG_TABLES = new Set([0xc4, 0xdb, 0xdd, 0xda]); // DHT, DQT, DRI, SOS

function classifyJpegSegment(marker: number, data: Buffer, f: Set<ContainerFinding>): void {
  if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
    if (data[0] !== 8) f.add('high-bit-depth');
    if (data[5] !== 1 && data[5] !== 3) f.add('unusual-coding'); // CMYK / YCCK
  } else if (marker >= 0xc3 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8) {
    f.add('unusual-coding'); // lossless, hierarchical, arithmetic (and its DAC tables)
  } else if (marker === 0xe0) {
    // A bare JFIF header; a longer APP0 carries a thumbnail (JFIF or JFXX).
    if (data.toString('latin1', 0, 5) !== 'JFIF\0' || data.length > 14) f.add('metadata');
  } else if (marker === 0xe2 && data.toString('latin1', 0, 12) === 'ICC_PROFILE\0') {
    f.add('colour-profile');
  } else if (marker === 0xee && data.toString('latin1', 0, 5) === 'Adobe') {
    f.add('unusual-coding'); // Adobe's colour transform flag (CMYK, YCCK)
  } else if ((marker >= 0xe1 && marker <= 0xef) || marker === 0xfe) {
    f.add('metadata'); // EXIF, XMP, MPF, Photoshop IRB (APP13), Adobe (APP14), comments
  } else if (!JPEG_TABLES.has(marker)) {
    f.add('unknown-blocks');
  }
}

/** After a scan header: up to the next marker that is not a stuffed 0xFF00 or a restart marker. */
function skipEntropyCoded(b: Buffer, from: number): number {
  let pos = from;
  for (;;) {
    pos = b.indexOf(0xff, pos);
    if (pos < 0 || pos + 1 >= b.length) return b.length;
    const next = b[pos + 1] ?? 0;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
      pos += next === 0xff ? 1 : 2;
      continue;
    }
    return pos;
  }
}
