import 'server-only';
import type { PrepareError } from '../images/prepare';
import { prepareImage } from '../images/prepare';
import { storeAsset, type StoredAsset } from '../assets';
import type { Ctx } from '../context';
import { AppError } from '../errors';

const STATUS_FOR: Record<PrepareError['code'], ConstructorParameters<typeof AppError>[0]> = {
  too_large: 'payload_too_large',
  unsupported_type: 'unsupported_media',
  too_many_pixels: 'invalid_input',
  corrupt: 'invalid_input',
};

/**
 * Validates, normalises and stores one reference image. Assets are content-addressed and
 * shared; what a workspace owns is the runs and drafts that point at them.
 */
export async function acceptUpload(_ctx: Ctx, file: File | null): Promise<{ asset: StoredAsset; notes: string[] }> {
  if (!file) throw new AppError('invalid_input', 'No file was sent.', { fields: { file: 'Required.' } });
  const prepared = await prepareImage(Buffer.from(await file.arrayBuffer()), file.name || 'image');
  if (!prepared.ok) throw new AppError(STATUS_FOR[prepared.error.code], prepared.error.message, { fields: { file: prepared.error.message } });
  return { asset: await storeAsset(prepared.image, 'upload'), notes: prepared.image.notes };
}
