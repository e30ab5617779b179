import 'server-only';
import { provenancePayloadSchema, type ProvenancePayload } from '@/lib/schemas/export';
import { embedJpeg, fitsJpeg, isJpeg, readJpegXmp } from './jpeg';
import { embedPng, isPng, PNG_KEYWORD, PNG_XMP_KEYWORD, readPngText } from './png';
import { embedWebp, isWebp, readWebpXmp } from './webp';
import { jsonFromXmp, xmpPacket } from './xmp';

/**
 * Provenance in the image file itself, so it survives being opened, copied or mailed
 * elsewhere. Chunks and segments are inserted byte for byte (no re-encode: the pixels are
 * the provider's exactly, and a JPEG loses nothing); sharp's `withXmp` would re-encode.
 * PNG: iTXt `proofsheet` (the JSON) plus XMP; JPEG: XMP APP1; WebP: XMP chunk (VP8X flag).
 */
export function embedProvenance(bytes: Buffer, payload: ProvenancePayload): Buffer {
  let json = JSON.stringify(payload);
  let xmp = xmpPacket(json);
  if (isPng(bytes)) return embedPng(bytes, json, xmp);
  if (isJpeg(bytes)) {
    // One APP1 segment holds 64 KB; the texts (also in the manifest) give way first.
    if (!fitsJpeg(xmp)) {
      json = JSON.stringify({ ...payload, instruction: payload.instruction.slice(0, 1000), negativePrompt: '' });
      xmp = xmpPacket(json);
    }
    return embedJpeg(bytes, xmp);
  }
  if (isWebp(bytes)) return embedWebp(bytes, xmp);
  throw new Error('Only PNG, JPEG and WebP images carry provenance.');
}

/**
 * The Proofsheet provenance an image carries, or null: none, not ours, a broken container,
 * or a payload that does not parse (a file edited elsewhere is simply not recognised).
 */
export function readProvenance(bytes: Buffer): ProvenancePayload | null {
  try {
    let json: string | null = null;
    if (isPng(bytes)) {
      json = readPngText(bytes, PNG_KEYWORD);
      if (json === null) {
        const xmp = readPngText(bytes, PNG_XMP_KEYWORD);
        json = xmp === null ? null : jsonFromXmp(xmp);
      }
    } else if (isJpeg(bytes)) {
      const xmp = readJpegXmp(bytes);
      json = xmp === null ? null : jsonFromXmp(xmp);
    } else if (isWebp(bytes)) {
      const xmp = readWebpXmp(bytes);
      json = xmp === null ? null : jsonFromXmp(xmp);
    }
    if (json === null) return null;
    const parsed = provenancePayloadSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
