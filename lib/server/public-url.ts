import 'server-only';
import { env } from './env';
import { signedInputPath } from './perimeter/signed-url';
import { ProviderError } from './providers/errors';
import type { InputImage } from './providers/types';
import { blobKey, blobStore } from './storage';

/**
 * A URL a vendor can fetch a reference from, for vendors that take URLs only and have no
 * upload API. With a store that presigns (S3: BLOB_STORE=s3), the bucket's own presigned GET,
 * valid for S3_PRESIGN_TTL_SECONDS, so no PUBLIC_BASE_URL is needed. Otherwise a URL under
 * PUBLIC_BASE_URL, signed for this blob and expiring (INPUT_URL_TTL_SECONDS), so /api/inputs
 * serves only what was handed to a vendor, and only for a while. Adapted inputs (resized,
 * stitched) are stored first so the URL serves exactly what was adapted.
 */
export async function publicUrlFor(image: InputImage): Promise<string> {
  const store = blobStore();
  const base = env().PUBLIC_BASE_URL;
  if (!store.presignGet && !base) {
    throw new ProviderError({
      code: 'bad_input',
      message: 'This provider fetches reference images by URL: set PUBLIC_BASE_URL to an address it can reach.',
    });
  }
  const key = blobKey(image.sha256);
  await store.put(key, image.bytes);
  // The object is stored as octet-stream: the URL answers with the image's own type.
  if (store.presignGet) return store.presignGet(key, { contentType: image.mime });
  // `type` is a hint for vendors that look at the URL; the route sniffs the bytes, unsigned.
  return `${base}${signedInputPath(image.sha256)}&type=${encodeURIComponent(image.mime)}`;
}
