import 'server-only';
import { nearestRatio } from '../sizes';
import { z } from 'zod';
import { ProviderError } from '../errors';
import { decodeBase64Image, redact, toDataUri } from '../http';
import type { AdapterContext, EditRequest, InputImage, OutputImage, Usage } from '../types';

/** Source: togethercomputer/skills skills/together-images/references/api-reference.md ("Endpoint"). */
export const TOGETHER_DEFAULT_BASE_URL = 'https://api.together.xyz/v1';

const VENDOR = 'Together';

export type ResponseFormat = 'base64' | 'url';
/** How references reach Together: see `imageRef`. */
export type ImageTransport = 'url' | 'auto' | 'data-uri';

/**
 * Which request fields a model takes. Source: https://docs.together.ai/docs/inference/images/reference-images
 * ("image_url: FLUX.1 Kontext (pro/max), FLUX.2 (pro/flex)"; "FLUX.2 [dev] … only support
 * reference_images") and the feature matrix of the skills api-reference.md (`output_format` and
 * width/height are FLUX.2 options; guidance is FLUX.2 Dev/Flex; no model here takes `negative_prompt`).
 */
type ModelFamily = 'kontext' | 'flux2';

function familyOf(model: string): ModelFamily | undefined {
  if (/FLUX\.1-kontext-(pro|max)$/i.test(model)) return 'kontext';
  if (/FLUX\.2-(pro|flex|dev)$/i.test(model)) return 'flux2';
  return undefined;
}

/**
 * The guidance field is `guidance_scale` (number, default 3.5): the only name in Together's
 * OpenAPI (togethercomputer/openapi@090263aa openapi.yaml `/images/generations`; renamed from
 * `guidance` in commit d5fdd13, 2025-07-01) and its TypeScript SDK (togethercomputer/together-typescript@5d7f323d
 * src/resources/images.ts `ImageGenerateParams`). The narrative skills doc still shows `guidance`
 * for FLUX.2 dev/flex; the machine-readable spec wins, so `guidance` is never sent.
 */
function takesGuidance(model: string): boolean {
  return /FLUX\.2-(dev|flex)$/i.test(model);
}

/**
 * Kontext sets its output size from `aspect_ratio`, not width/height
 * (docs.together.ai images-overview, "Parameters": "Flux Schnell and Kontext [Pro/Max/Dev] models use
 * the aspect_ratio parameter"); these five are the ratios the skills api-reference.md lists.
 * With no ratio, Kontext follows the reference (a third-party project measured a 512² reference
 * on a 1024×576 request coming back 1024²), which is what 'auto' means for us.
 */
const KONTEXT_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:2'] as const;

/**
 * width/height are 256–1920 (skills api-reference.md, "Parameters") and, per a third-party
 * project that probed the live API, Together answers 400 to a side that is not a multiple of 16.
 */
const SIDE_MIN = 256;
const SIDE_MAX = 1920;
const snap = (v: number) => Math.min(SIDE_MAX, Math.max(SIDE_MIN, Math.round(v / 16) * 16));

/**
 * FLUX.2 defaults to 1024×1024 when no size is sent rather than following the reference, so for
 * 'auto' we send the first reference's aspect at about one megapixel: Together bills FLUX by
 * megapixels (models.md, "FLUX Pricing Formula"), so a bigger reference must not mean a bigger bill.
 */
function flux2Size(req: EditRequest): { width: number; height: number } {
  if (req.size) return { width: snap(req.size.width), height: snap(req.size.height) };
  const first = req.images[0];
  if (!first) return { width: 1024, height: 1024 };
  const ratio = first.width / first.height;
  const height = Math.sqrt((1024 * 1024) / ratio);
  return { width: snap(height * ratio), height: snap(height) };
}

/** Seeds are sent as non-negative 31-bit integers, the range every vendor here accepts. */
function vendorSeed(seed: number): number {
  return Math.abs(Math.trunc(seed)) % 2_147_483_648;
}

export function buildBody(req: EditRequest, refs: string[], responseFormat: ResponseFormat): Record<string, unknown> {
  const family = familyOf(req.model);
  if (!family) {
    throw new ProviderError({ code: 'bad_input', message: `${VENDOR}: ${req.model} is not an image-edit model this app knows.` });
  }
  const body: Record<string, unknown> = {
    model: req.model,
    prompt: req.prompt,
    n: 1,
    seed: vendorSeed(req.seed),
    response_format: responseFormat,
  };
  if (family === 'kontext') {
    // One reference only: the caller stitches extra references into it (overflow 'stitch').
    if (refs[0]) body.image_url = refs[0];
    if (req.size) body.aspect_ratio = nearestRatio(req.size, KONTEXT_RATIOS);
  } else {
    if (refs.length) body.reference_images = refs;
    Object.assign(body, flux2Size(req));
    body.output_format = req.outputFormat;
    if (req.guidance !== undefined && takesGuidance(req.model)) body.guidance_scale = req.guidance;
  }
  return body;
}

/**
 * Gets one reference to Together. The API documents `image_url` as "URL of an image" and
 * `reference_images` as "An array of image URLs" (togethercomputer/openapi@090263aa openapi.yaml);
 * data URIs are documented nowhere (a third-party project reports they work on Kontext pro/max).
 * So (TOGETHER_IMAGE_TRANSPORT):
 * - 'url' (default): a signed, expiring /api/inputs URL under PUBLIC_BASE_URL, or with
 *   BLOB_STORE=s3 a presigned bucket URL (ctx.publicUrlFor, lib/server/public-url.ts). With
 *   neither, the variation fails at once with bad_input saying what to set; nothing is sent,
 *   so nothing is billed.
 * - 'auto': that URL when there is one, else a data URI (the undocumented form, opted into).
 * - 'data-uri': always a data URI.
 */
export async function imageRef(image: InputImage, ctx: AdapterContext, transport: ImageTransport): Promise<string> {
  if (transport === 'data-uri') return toDataUri(image.bytes, image.mime);
  try {
    if (!ctx.publicUrlFor) throw new ProviderError({ code: 'bad_input', message: 'no public URL' });
    return await ctx.publicUrlFor(image);
  } catch (e) {
    // Only "no public URL configured" (bad_input) falls back or is explained; storage faults pass.
    if (!(e instanceof ProviderError && e.code === 'bad_input')) throw e;
    if (transport === 'auto') return toDataUri(image.bytes, image.mime);
    throw new ProviderError({
      code: 'bad_input',
      message:
        `${VENDOR} takes reference images as public URLs (the only form its API documents), and this server has none: ` +
        'set PUBLIC_BASE_URL to an address Together can reach (or keep images in S3: BLOB_STORE=s3), or TOGETHER_IMAGE_TRANSPORT=auto to send data URIs instead (undocumented).',
    });
  }
}

/**
 * Together's error body is OpenAI-shaped: `{"id", "error": {"message", "type", "param", "code"}}`
 * (a 400 quoted verbatim in https://github.com/HeyPuter/puter/issues/2084).
 */
export const errorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
  }),
});

const itemSchema = z.object({
  index: z.number().optional(),
  type: z.string().optional(),
  url: z.string().optional(),
  b64_json: z.string().optional(),
  timings: z.record(z.string(), z.number()).optional(),
});
/** Response shape: togethercomputer/together-typescript src/resources/images.ts (`ImageFile`). */
const responseSchema = z.object({
  id: z.string().optional(),
  model: z.string().optional(),
  data: z.array(itemSchema).nullish(),
});

/** The vendor's base64 carries no MIME type; the bytes do. */
function sniffMime(bytes: Buffer): string | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 12 && bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/**
 * A 2xx body → images. Together is synchronous and documents no "200 but failed" shape; the
 * closest one is a 200 whose `data` holds no image (seen when a safety checker drops the only
 * output on other FLUX hosts). We call that provider_error: nothing says it was moderation,
 * and a retry with the same seed is the one thing the user could do about it.
 */
export function imagesFrom(
  json: Record<string, unknown>,
  status: number,
  secrets: (string | undefined)[],
): { images: OutputImage[]; usage?: Usage } {
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) {
    throw new ProviderError({
      code: 'provider_error',
      message: `${VENDOR} sent an image response of an unexpected shape.`,
      httpStatus: status,
    });
  }
  const images: OutputImage[] = [];
  const details: Record<string, number | string> = {};
  for (const item of parsed.data.data ?? []) {
    if (item.b64_json) {
      const { bytes } = decodeBase64Image(item.b64_json);
      if (bytes.length) images.push({ bytes, mime: sniffMime(bytes) });
    } else if (item.url) {
      images.push({ url: item.url });
    }
    const inference = item.timings?.inference;
    if (inference !== undefined) details.inferenceSec = inference;
  }
  if (!images.length) {
    const error = errorSchema.safeParse(json);
    const why = error.success ? error.data.error.message : undefined;
    throw new ProviderError({
      code: 'provider_error',
      providerCode: 'empty_data',
      message: redact(`${VENDOR} answered HTTP ${status} without an image${why ? `: ${why}` : '.'}`, secrets),
      httpStatus: status,
    });
  }
  if (parsed.data.id) details.requestId = parsed.data.id;
  return { images, usage: Object.keys(details).length ? { details } : undefined };
}
