import 'server-only';
import { env } from './env';
import { signedInputPath } from './perimeter/signed-url';
import { ProviderError } from './providers/errors';
import type { InputImage } from './providers/types';
import { blobKey, blobStore } from './storage';

/**
 * A URL a vendor can fetch a reference from, for vendors that take URLs only and have no
 * upload API: signed for this blob and expiring (INPUT_URL_TTL_SECONDS), so /api/inputs
 * serves only what was handed to a vendor, and only for a while. Adapted inputs (resized,
 * stitched) are stored first so the URL serves exactly what was adapted.
 */
export async function publicUrlFor(image: InputImage): Promise<string> {
  const base = env().PUBLIC_BASE_URL;
  if (!base) {
    throw new ProviderError({
      code: 'bad_input',
      message: 'This provider fetches reference images by URL: set PUBLIC_BASE_URL to an address it can reach.',
    });
  }
  await blobStore().put(blobKey(image.sha256), image.bytes);
  // `type` is a hint for vendors that look at the URL; the route sniffs the bytes, unsigned.
  return `${base}${signedInputPath(image.sha256)}&type=${encodeURIComponent(image.mime)}`;
}
