import 'server-only';
import { z } from 'zod';
import { wanSeed } from '../seed';
import type { EditRequest, InputImage } from '../types';

/** Source: ModelsLab/modelslab-cli internal/config/config.go (official CLI): base https://modelslab.com/api. */
export const MODELSLAB_DEFAULT_BASE_URL = 'https://modelslab.com/api';

/**
 * The configurable target. ModelsLab's own docs (ModelsLab/docs-v2) list no Wan 2.7 image model;
 * third-party ModelsLab clients call `wan-2.7-i2i` on the v7 generic endpoint with `init_image`
 * as an array. Both defaults are therefore UNVERIFIED and overridable with MODELSLAB_EDIT_PATH
 * and MODELSLAB_MODEL_ID.
 */
export const WAN_MODEL = 'wan-2.7-i2i';
export const DEFAULT_EDIT_PATH = '/v7/images/image-to-image';

/**
 * Documented: `POST /api/v6/images/img2img` with `model_id: "flux-kontext-dev"`
 * (ModelsLab/docs-v2 image-editing/flux-kontext-img-to-image.mdx + image-editing/openapi.json).
 */
export const KONTEXT_MODEL = 'flux-kontext-dev';
export const KONTEXT_PATH = '/v6/images/img2img';

/**
 * ModelsLab's own upload: `POST /api/v6/image_editing/base64_to_url` `{key, init_image: "data:image/png;base64,…"}`
 * → `{status:"success", id, output:[url]}` (docs-v2 image-editing/base64-to-url.mdx + openapi.json).
 */
export const UPLOAD_PATH = '/v6/image_editing/base64_to_url';

const num = z.union([z.number(), z.string()]).transform((v) => Number(v));

const urls = z.array(z.unknown()).transform((list) => list.filter((u): u is string => typeof u === 'string'));

/**
 * One lenient schema for submit, fetch and upload answers. HTTP 200 can carry
 * `status: success | processing | error` (plus `failed` per the official CLI); legacy endpoints
 * spell the text `messege` (docs-v2 error-codes.mdx). While processing, fetch may send `output: ""`.
 * `message`/`messege` is a string in the docs but "may be a string or, for validation errors, an
 * object" (ModelsLab/modelslab-cli@07ea1c7c internal/cmd/generate.go, `generationFailed`): typing
 * it as a string made such an answer fail this schema and be retried as the vendor's fault.
 * URLs can also arrive as `output_url` and `future_links` (same file, `extractOutputURLs`).
 */
export const responseSchema = z.object({
  status: z.string(),
  id: z.union([z.number(), z.string()]).nullish(),
  output: z.union([urls, z.string()]).nullish(),
  output_url: z.string().nullish(),
  proxy_links: urls.nullish(),
  future_links: urls.nullish(),
  fetch_result: z.string().nullish(),
  eta: num.nullish(),
  message: z.unknown().optional(),
  messege: z.unknown().optional(),
  nsfw_content_detected: z.union([z.boolean(), z.string()]).nullish(),
  generationTime: num.nullish(),
  retry_after: num.nullish(),
});
export type MlResponse = z.infer<typeof responseSchema>;

/** What poll() needs: the job id and the fetch URL (always on our configured host). */
export const handleSchema = z.object({ v: z.literal(1), id: z.string().min(1), fetchUrl: z.string().url(), model: z.string() });

/** The message as one line: a validation object `{field: ["…"]}` reads "field: …". */
export function textOf(r: Partial<MlResponse> | undefined): string {
  const raw = r?.message ?? r?.messege;
  return raw === undefined || raw === null ? '' : flatten(raw).slice(0, 500);
}

function flatten(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(flatten).filter(Boolean).join('; ');
  if (v && typeof v === 'object')
    return Object.entries(v)
      .map(([k, inner]) => `${k}: ${flatten(inner)}`)
      .join('; ');
  return v === undefined || v === null ? '' : JSON.stringify(v);
}

/** True when the message is structured (an object or array): ModelsLab's shape for validation errors. */
export function structuredMessage(r: Partial<MlResponse> | undefined): boolean {
  const raw = r?.message ?? r?.messege;
  return typeof raw === 'object' && raw !== null;
}

const isHttp = (u: string) => /^https?:\/\//.test(u);

/**
 * Output URLs in the CLI's order (`extractOutputURLs`: `output[]`, then `output_url`, then
 * `future_links[]`), without repeats; `proxy_links` (mirrors, docs-v2 openapi) only when there is
 * nothing else. Only the first image of a variation is kept, so the order matters.
 */
export function outputsOf(r: MlResponse): string[] {
  const list = [...(Array.isArray(r.output) ? r.output : []), ...(r.output_url ? [r.output_url] : []), ...(r.future_links ?? [])];
  const found = [...new Set(list.filter(isHttp))];
  return found.length ? found : (r.proxy_links ?? []).filter(isHttp);
}

/** The CLI's `hasOutputURLs`: a non-empty `output` list or an `output_url` means the images are there. */
export function hasOutputUrls(r: MlResponse): boolean {
  return (Array.isArray(r.output) && r.output.some(isHttp)) || Boolean(r.output_url && isHttp(r.output_url));
}

export function nsfwFlagged(r: MlResponse): boolean {
  return r.nsfw_content_detected === true || r.nsfw_content_detected === 'true';
}

function vendorSeed(seed: number): number {
  return Math.abs(Math.trunc(seed)) % 2_147_483_648;
}

/**
 * Kontext dev: width/height ≤ 1024 (default 512, so always sent), and validation says
 * "width must be between 256 and 1024" / "height must be divisible by 8" (docs-v2 error-codes.mdx).
 * Without a requested size we follow the first reference's aspect.
 */
export function kontextSize(req: EditRequest): { width: number; height: number } {
  const first = req.images[0];
  const want = req.size ?? (first ? { width: first.width, height: first.height } : { width: 1024, height: 1024 });
  const scale = Math.min(1, 1024 / Math.max(want.width, want.height));
  const fit = (v: number) => Math.min(1024, Math.max(256, Math.floor((v * scale) / 8) * 8));
  return { width: fit(want.width), height: fit(want.height) };
}

/** Request body for the model; `key` goes in the body, where ModelsLab authenticates it. */
export function buildBody(req: EditRequest, modelId: string, urls: string[], key: string): Record<string, unknown> {
  if (req.model === KONTEXT_MODEL) {
    // Fields: docs-v2 image-editing/openapi.json FluxKontextImageToImageRequest.
    const body: Record<string, unknown> = {
      key,
      model_id: KONTEXT_MODEL,
      prompt: req.prompt,
      init_image: urls[0],
      ...kontextSize(req),
      samples: 1,
      seed: vendorSeed(req.seed),
      base64: false,
    };
    if (urls[1]) body.init_image_2 = urls[1];
    if (req.negativePrompt?.trim()) body.negative_prompt = req.negativePrompt.trim();
    // Same direction as ours: "0.0 means identical to input, 1.0 means completely different".
    if (req.strength !== undefined) body.strength = Math.min(1, Math.max(0, req.strength));
    if (req.guidance !== undefined) body.guidance = Math.min(20, Math.max(0, req.guidance));
    return body;
  }
  // Generic v7 image-to-image (modelslab-cli generate.go: key, prompt, init_image, model_id);
  // the array form of init_image and `seed` for Wan come from third-party clients. The CLI sends
  // `seed` only when > 0, and 0 means "random" at some Wan gateways: never 0 (../seed.ts).
  return { key, model_id: modelId, prompt: req.prompt, init_image: urls, seed: wanSeed(req.seed) };
}

export function uploadBody(image: InputImage, key: string): Record<string, unknown> {
  return { key, init_image: `data:${image.mime};base64,${image.bytes.toString('base64')}` };
}

/**
 * Where to poll. `fetch_result` is used only when it points at our configured host (the key
 * travels in the body, so it must never go to a host taken from a response); otherwise the
 * documented fetch path is rebuilt: v6 image_editing → `/v6/image_editing/fetch/{id}`
 * (docs-v2 image-editing/fetchimage.mdx), v6/v7 images → `/{v}/images/fetch/{id}` (modelslab-cli).
 */
export function fetchUrlFor(base: string, path: string, id: string, fetchResult: string | null | undefined): string {
  if (fetchResult) {
    try {
      if (new URL(fetchResult).origin === new URL(base).origin) return fetchResult;
    } catch {
      // fall through to the rebuilt path
    }
  }
  const version = /^\/(v\d+)\//.exec(path)?.[1] ?? 'v6';
  const section = path.startsWith('/v6/image_editing/') ? 'image_editing' : 'images';
  return `${base}/${version}/${section}/fetch/${encodeURIComponent(id)}`;
}

/** `eta` is seconds; poll no sooner than 1 s and no later than 30 s. */
export function pollDelay(eta: number | null | undefined): number {
  if (eta === null || eta === undefined || !Number.isFinite(eta) || eta <= 0) return 5_000;
  return Math.min(30_000, Math.max(1_000, Math.round(eta * 1000)));
}
