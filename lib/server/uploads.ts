import 'server-only';
import { storeAsset, type StoredAsset } from './assets';
import { prepareImage, type PrepareError } from './images/prepare';

export type UploadResult =
  | { ok: true; asset: StoredAsset; notes: string[] }
  | { ok: false; error: PrepareError | { code: 'no_file'; message: string } };

/** Validates, normalises and stores one uploaded reference image. */
export async function acceptUpload(file: File | null): Promise<UploadResult> {
  if (!file || typeof file === 'string') return { ok: false, error: { code: 'no_file', message: 'No file was sent.' } };
  const bytes = Buffer.from(await file.arrayBuffer());
  const prepared = await prepareImage(bytes, file.name || 'image');
  if (!prepared.ok) return prepared;
  const asset = await storeAsset(prepared.image, 'upload');
  return { ok: true, asset, notes: prepared.image.notes };
}
