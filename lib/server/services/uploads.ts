import 'server-only';
import type { PrepareError } from '../images/prepare';
import { prepareImage } from '../images/prepare';
import { storeAsset, type StoredAsset } from '../assets';
import type { Ctx } from '../context';
import type { AppErrorCode } from '@/lib/schemas/errors';
import { AppError } from '../errors';
import { withDecodeSlot } from '../uploads/gates';
import { recogniseUpload } from '../uploads/provenance';
import type { ProvenanceOffer } from '@/lib/schemas/export';

const STATUS_FOR: Record<PrepareError['code'], AppErrorCode> = {
  too_large: 'payload_too_large',
  unsupported_type: 'unsupported_media',
  too_many_pixels: 'invalid_input',
  corrupt: 'invalid_input',
  empty: 'invalid_input',
  bad_geometry: 'invalid_input',
  too_complex: 'invalid_input',
};

export type UploadFile = { name: string; bytes: Buffer };

/**
 * Validates, normalises and stores one reference image. Assets are content-addressed and
 * shared; what a workspace owns is the runs and drafts that point at them. The decode waits
 * for one of the few decode slots, or is refused with 503 when too many are waiting.
 */
export async function acceptUpload(
  ctx: Ctx,
  file: UploadFile | null,
  options: { signal?: AbortSignal } = {},
): Promise<{ asset: StoredAsset; notes: string[]; provenance?: ProvenanceOffer }> {
  if (!file) throw new AppError('invalid_input', 'No file was sent.', { fields: { file: 'Required.' } });
  const prepared = await withDecodeSlot(() => prepareImage(file.bytes, file.name), { signal: options.signal });
  if (!prepared.ok)
    throw new AppError(STATUS_FOR[prepared.error.code], prepared.error.message, { fields: { file: prepared.error.message } });
  // Drop-back (issue 10): provenance is read from the bytes as sent; the stored copy has its metadata stripped.
  const provenance = await recogniseUpload(ctx, file.bytes);
  return { asset: await storeAsset(prepared.image, 'upload'), notes: prepared.image.notes, ...(provenance ? { provenance } : {}) };
}
