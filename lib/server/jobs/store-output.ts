import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { z } from 'zod';
import { storeAsset, type StoredAsset } from '../assets';
import { renditionFrom } from '../images/prepare';
import { sniffImage } from '../images/sniff';
import { isProviderError, ProviderError } from '../providers/errors';
import type { OutputImage, Usage } from '../providers/types';
import { blobKey, blobStore, requireBlob, sha256 } from '../storage';
import { openImage } from '../storage/renditions';
import { fetchOutput } from './fetch-output';

/**
 * A finished, paid result not yet stored, as kept in `Variation.result`: the output link, or
 * the sha of bytes already in the blob store. Written before any step that can fail, so a
 * failed download or a crash means "download again", never "submit again".
 */
const keptResultSchema = z.object({
  image: z.union([z.object({ url: z.string() }), z.object({ sha: z.string().regex(/^[a-f0-9]{64}$/) })]).nullable(),
  usage: z
    .object({ costUsd: z.number().optional(), details: z.record(z.string(), z.union([z.number(), z.string()])).optional() })
    .optional(),
  blockedCount: z.number().optional(),
});
export type KeptResult = z.infer<typeof keptResultSchema>;

export function readKeptResult(json: string | null): KeptResult | undefined {
  if (!json) return undefined;
  try {
    const parsed = keptResultSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Bytes handed over inline (a synchronous vendor) go to the blob store at once; links are kept as they are. */
export async function keepResult(result: { images: OutputImage[]; usage?: Usage; blockedCount?: number }): Promise<KeptResult> {
  const first = result.images[0];
  const base = { usage: result.usage, blockedCount: result.blockedCount };
  if (!first) return { image: null, ...base };
  if (first.url !== undefined) return { image: { url: first.url }, ...base };
  return { image: { sha: await putBytes(first.bytes) }, ...base };
}

async function putBytes(bytes: Buffer): Promise<string> {
  const sha = sha256(bytes);
  await blobStore().put(blobKey(sha), bytes);
  return sha;
}

const DOWNLOAD_ATTEMPTS = 3;

/**
 * The output's bytes, from the blob store or the vendor's link. A link is tried a few times
 * (CDNs hiccup); its bytes are put in the blob store before this returns, and the caller records
 * the sha, so even a crash right after costs nothing more.
 */
export async function fetchKept(kept: KeptResult, signal: AbortSignal): Promise<{ bytes: Buffer; sha: string; downloaded: boolean }> {
  const image = kept.image;
  if (!image) {
    if (kept.blockedCount) {
      throw new ProviderError({ code: 'content_policy', blocked: 'output', message: 'The provider withheld the generated image.' });
    }
    throw new ProviderError({ code: 'provider_error', message: 'The provider reported success but returned no image.' });
  }
  if ('sha' in image) return { bytes: await requireBlob(blobKey(image.sha)), sha: image.sha, downloaded: false };
  let last: unknown;
  for (let attempt = 1; attempt <= DOWNLOAD_ATTEMPTS; attempt++) {
    try {
      const { bytes } = await fetchOutput(image.url, signal);
      return { bytes, sha: await putBytes(bytes), downloaded: true };
    } catch (e) {
      last = e;
      if (signal.aborted) throw e;
      if (attempt < DOWNLOAD_ATTEMPTS) await sleep(1000 * 2 ** (attempt - 1), undefined, { signal });
    }
  }
  const reason = isProviderError(last) || last instanceof Error ? last.message : String(last);
  throw new ProviderError({
    code: 'provider_error',
    message: `${reason} The job was not submitted again, so it was not paid for twice; retry to run it again.`,
  });
}

/**
 * Checks the bytes are an image and stores them as an output asset (same bytes, same asset),
 * with its thumbnail: the variation is marked succeeded after this returns, so the grid that
 * the event wakes finds the thumbnail ready instead of rendering it on that first request.
 */
export async function storeOutputBytes(bytes: Buffer): Promise<StoredAsset> {
  const mime = sniffImage(bytes);
  if (!mime)
    throw new ProviderError({ code: 'provider_error', message: 'The provider returned something that is not a PNG, JPEG or WebP image.' });
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  const asset = await storeAsset({ bytes, mime, width, height }, 'output');
  await renderRenditions(asset.sha256);
  return asset;
}

/**
 * Through openImage, so a render here and one asked for by a request at the same moment are one
 * render (single-flight), and a rendition already stored is kept. Measured on this project's
 * 2-core machine: the 320 px thumb takes 27 ms from a 1024 px JPEG, ~100 ms from a 1024 px PNG
 * (decode-bound), ~400 ms from a 2048 px PNG; the 1280 px preview 3 to 7 times that. So the
 * thumb (what the grid shows) is awaited and the preview (compare views) is left to the
 * background. Neither can fail the store: a rendition that did not render is rendered on read.
 */
async function renderRenditions(sha: string): Promise<void> {
  await openImage(sha, 'thumb', renditionFrom).catch(() => null);
  void openImage(sha, 'preview', renditionFrom).catch(() => null);
}
