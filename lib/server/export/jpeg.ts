import 'server-only';

/**
 * JPEG segments (ITU T.81 Annex B: marker, 2-byte big-endian length that counts itself).
 * XMP goes in an APP1 segment whose payload starts `http://ns.adobe.com/xap/1.0/\0` (XMP
 * Specification Part 3 §1.1.3), placed after the JFIF APP0 and Exif APP1 that readers expect
 * first. The entropy-coded data is copied unchanged: no re-encode, no quality loss.
 */
const XMP_HEADER = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
/** A segment's length field is 16 bits and counts itself. */
const MAX_SEGMENT_PAYLOAD = 0xffff - 2;

type Segment = { marker: number; start: number; end: number; payload: Buffer };

export function isJpeg(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** The header segments, up to (not including) the first SOS. Throws on a broken file. */
function segments(bytes: Buffer): { list: Segment[]; sos: number } {
  if (!isJpeg(bytes)) throw new Error('Not a JPEG file.');
  const list: Segment[] = [];
  let at = 2;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) throw new Error('A JPEG marker was expected.');
    // Fill bytes (0xFF repeated) may precede a marker.
    while (bytes[at + 1] === 0xff) at++;
    const marker = bytes[at + 1]!;
    if (marker === 0xda || marker === 0xd9) return { list, sos: at };
    if (at + 4 > bytes.length) break;
    const length = bytes.readUInt16BE(at + 2);
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) break;
    list.push({ marker, start: at, end, payload: bytes.subarray(at + 4, end) });
    at = end;
  }
  throw new Error('The JPEG file ends before its image data.');
}

function isXmp(s: Segment): boolean {
  return s.marker === 0xe1 && s.payload.subarray(0, XMP_HEADER.length).equals(XMP_HEADER);
}

/** Fits in one APP1 segment (extended XMP is not needed for a payload this size). */
export function fitsJpeg(xmp: string): boolean {
  return XMP_HEADER.length + Buffer.byteLength(xmp) <= MAX_SEGMENT_PAYLOAD;
}

export function embedJpeg(bytes: Buffer, xmp: string): Buffer {
  const { list, sos } = segments(bytes);
  const body = Buffer.concat([XMP_HEADER, Buffer.from(xmp, 'utf8')]);
  if (body.length > MAX_SEGMENT_PAYLOAD) throw new Error('The XMP packet is too large for one JPEG segment.');
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  const ours = Buffer.concat([head, body]);
  // After a leading JFIF APP0 and Exif APP1, where readers look for them.
  let insertAfter = 0;
  while (insertAfter < list.length && isLeading(list[insertAfter]!)) insertAfter++;
  const parts: Buffer[] = [bytes.subarray(0, 2)];
  list.forEach((s, i) => {
    if (i === insertAfter) parts.push(ours);
    if (!isXmp(s)) parts.push(bytes.subarray(s.start, s.end));
  });
  if (insertAfter === list.length) parts.push(ours);
  parts.push(bytes.subarray(sos));
  return Buffer.concat(parts);
}

function isLeading(s: Segment): boolean {
  return s.marker === 0xe0 || (s.marker === 0xe1 && s.payload.subarray(0, 6).toString('latin1') === 'Exif\0\0');
}

/** The XMP packet of the first standard XMP APP1 segment, or null. */
export function readJpegXmp(bytes: Buffer): string | null {
  const seg = segments(bytes).list.find(isXmp);
  return seg ? seg.payload.subarray(XMP_HEADER.length).toString('utf8') : null;
}
