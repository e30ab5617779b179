import 'server-only';
import { storeAsset, type StoredAsset } from '../assets';
import sharp from 'sharp';
import { sniffImage } from '../images/sniff';
import { ProviderError } from '../providers/errors';
import type { OutputImage, Usage } from '../providers/types';
import { fetchOutput } from './fetch-output';

/** Downloads (or decodes) the first output image and stores it like an upload. */
export async function storeOutput(
  result: { images: OutputImage[]; usage?: Usage; blockedCount?: number },
  signal: AbortSignal,
): Promise<StoredAsset> {
  const first = result.images[0];
  if (!first) {
    if (result.blockedCount) {
      throw new ProviderError({ code: 'content_policy', blocked: 'output', message: 'The provider withheld the generated image.' });
    }
    throw new ProviderError({ code: 'provider_error', message: 'The provider reported success but returned no image.' });
  }
  const bytes = first.bytes ?? (await fetchOutput(first.url, signal)).bytes;
  const mime = sniffImage(bytes);
  if (!mime) throw new ProviderError({ code: 'provider_error', message: 'The provider returned something that is not a PNG, JPEG or WebP image.' });
  // Header parse only: renditions are rendered on first request (serve-asset.ts), which keeps
  // the CPU cost of thumbnails off the path between the provider's answer and "stored".
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  return storeAsset({ bytes, mime, width, height }, 'output');
}
