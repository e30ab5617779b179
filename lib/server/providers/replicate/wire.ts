import 'server-only';
import { nearestRatio } from '../sizes';
import { z } from 'zod';
import { ProviderError } from '../errors';
import { decodeBase64Image } from '../http';
import { wanSeed } from '../seed';
import type { EditRequest, OutputImage, PollResult, Usage } from '../types';
import { predictionFailure } from './errors';

/** Source: https://replicate.com/docs/topics/predictions/create-a-prediction. */
export const REPLICATE_DEFAULT_BASE_URL = 'https://api.replicate.com/v1';

const VENDOR = 'Replicate';

/**
 * Files at most this big travel as data URIs; bigger ones go through the files API. The API
 * schema says "Use a data URL when you have a small file <= 256kb" (predictions.create `input`,
 * replicate OpenAPI); the docs page allows up to 1 MB, we keep the stricter number.
 */
export const DATA_URI_MAX_BYTES = 256 * 1024;

/**
 * Prediction object (https://replicate.com/docs/topics/predictions/create-a-prediction; example
 * bodies with `urls.get`/`urls.cancel` in third-party copies of the API reference). Lenient: only
 * what we read is checked.
 */
export const predictionSchema = z.object({
  id: z.string().min(1),
  model: z.string().optional(),
  status: z.string(),
  output: z.unknown().optional(),
  error: z.unknown().optional(),
  metrics: z.object({ predict_time: z.number().optional() }).passthrough().nullish(),
});
export type Prediction = z.infer<typeof predictionSchema>;

/** Files API answer (replicate/replicate-javascript lib/files.js posts `content` and reads the JSON). */
export const fileSchema = z.object({ id: z.string(), urls: z.object({ get: z.string().url() }) });

/** Our handle: the prediction id; poll/cancel URLs are rebuilt from our configured base URL. */
export const handleSchema = z.object({ v: z.literal(1), id: z.string().min(1), model: z.string() });

function vendorSeed(seed: number): number {
  return Math.abs(Math.trunc(seed)) % 2_147_483_648;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Kontext `aspect_ratio` choices on Replicate (model API schema, mirrored by core.today's docs). */
const KONTEXT_RATIOS = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '4:5', '5:4', '21:9', '9:21', '2:1', '1:2'];

type ModelKind = 'kontext' | 'flux-dev' | 'wan';
function kindOf(model: string): ModelKind | undefined {
  if (model === 'black-forest-labs/flux-kontext-pro' || model === 'black-forest-labs/flux-kontext-max') return 'kontext';
  if (model === 'black-forest-labs/flux-dev') return 'flux-dev';
  if (model === 'wan-video/wan-2.7-image') return 'wan';
  return undefined;
}

/**
 * `size` of wan-video/wan-2.7-image(-pro) is an enum, not any "W*H": "1K" | "2K" | "4K" plus fixed
 * presets, default "2K"; "'1K', '2K', and '4K' auto-size based on input images. 4K is only
 * available for text-to-image." Source: [3P, generated from the model's OpenAPI schema]
 * nodetool-ai/nodetool-replicate@d21aa025 src/nodetool/nodes/replicate/image/generate.py
 * `Wan_2_7_Image_Pro` (version d880bad3…, is_official); replicate.com/wan-video/wan-2.7-image/api
 * itself was not in the material consulted. The 4K tier and the 4096 presets are left out: this
 * app only edits, and the standard model's 4K support is unconfirmed.
 */
const WAN_PRESETS = [
  '1024*1024',
  '2048*2048',
  '1280*720',
  '720*1280',
  '2048*1152',
  '1152*2048',
  '1024*768',
  '768*1024',
  '2048*1536',
  '1536*2048',
] as const;

/**
 * A requested size → a `size` Replicate accepts. No size: "2K", which follows the input's shape.
 * An exact preset: that preset. Anything else: the preset nearest in aspect (log scale), then in
 * area, since an arbitrary "W*H" is refused with 422.
 */
function wanSize(size: EditRequest['size']): string {
  if (!size) return '2K';
  const exact = `${size.width}*${size.height}`;
  if ((WAN_PRESETS as readonly string[]).includes(exact)) return exact;
  const want = Math.log(size.width / size.height);
  const area = size.width * size.height;
  // Aspect counts ten times more than area: the shape is what a designer notices.
  const distance = (preset: string) => {
    const [w = 1, h = 1] = preset.split('*').map(Number);
    return 10 * Math.abs(Math.log(w / h) - want) + Math.abs(Math.log((w * h) / area));
  };
  let best: string = WAN_PRESETS[0];
  for (const p of WAN_PRESETS) if (distance(p) < distance(best)) best = p;
  return best;
}

/** Replicate's FLUX models say `jpg`, not `jpeg`. */
const fluxFormat = (f: EditRequest['outputFormat']) => (f === 'jpeg' ? 'jpg' : 'png');

/** The `input` object for one prediction; `refs` are data URIs or files-API URLs, in order. */
export function buildInput(req: EditRequest, refs: string[]): Record<string, unknown> {
  const kind = kindOf(req.model);
  const seed = vendorSeed(req.seed);
  switch (kind) {
    case 'kontext':
      // https://replicate.com/black-forest-labs/flux-kontext-pro/api: `input_image` (one), `aspect_ratio`
      // default "match_input_image", `output_format` jpg|png, `safety_tolerance` 0–6 where
      // "2 is the maximum allowed when input images are used".
      return {
        prompt: req.prompt,
        ...(refs[0] ? { input_image: refs[0] } : {}),
        aspect_ratio: req.size ? nearestRatio(req.size, KONTEXT_RATIOS) : 'match_input_image',
        output_format: fluxFormat(req.outputFormat),
        // The run's choice (catalog: 0–2), else 2, Replicate's default.
        safety_tolerance: typeof req.safety === 'number' ? req.safety : 2,
        prompt_upsampling: false,
        seed,
      };
    case 'flux-dev': {
      // replicate/cog-flux predict.py (DevPredictor): `image` for img2img (output follows its aspect),
      // `prompt_strength` 0–1 where 1.0 is "full destruction of information in image" (= our
      // strength), `guidance` 0–10. `go_fast` (default true) makes outputs non-deterministic even
      // with a seed (model API page), so we turn it off: a variation must be reproducible.
      const input: Record<string, unknown> = {
        prompt: req.prompt,
        prompt_strength: clamp(req.strength ?? 0.8, 0, 1),
        num_outputs: 1,
        output_format: fluxFormat(req.outputFormat),
        go_fast: false,
        seed,
      };
      if (refs[0]) input.image = refs[0];
      if (req.guidance !== undefined) input.guidance = clamp(req.guidance, 0, 10);
      // `disable_safety_checker` (default False): sent only when the run turned the checker off.
      if (req.safety === false) input.disable_safety_checker = true;
      return input;
    }
    case 'wan':
      // Fields per the schema cited at WAN_PRESETS: `images` (≤ 9; non-empty = edit mode), `size`
      // (enum), `num_outputs` (not `n`), `seed` 0–2147483647, null = random. `thinking_mode`
      // "only applies to text-to-image", so it is not sent.
      return { prompt: req.prompt, images: refs, size: wanSize(req.size), num_outputs: 1, seed: wanSeed(req.seed) };
    default:
      throw new ProviderError({ code: 'bad_input', message: `${VENDOR}: ${req.model} is not a model this app knows how to call.` });
  }
}

/** `output` is one URI (Kontext) or a list (flux-dev); data URIs are decoded here. */
function outputImages(output: unknown): OutputImage[] {
  const values = Array.isArray(output) ? output : [output];
  const images: OutputImage[] = [];
  for (const v of values) {
    if (typeof v !== 'string') continue;
    if (v.startsWith('data:')) {
      const { bytes, mime } = decodeBase64Image(v);
      if (bytes.length) images.push({ bytes, mime });
    } else if (/^https?:\/\//.test(v)) {
      images.push({ url: v });
    }
  }
  return images;
}

function usageOf(p: Prediction): Usage | undefined {
  const t = p.metrics?.predict_time;
  return t === undefined ? undefined : { details: { predictTimeSec: t } };
}

/**
 * Status → our state (statuses from the create-a-prediction docs; `aborted` from the Cancel-After
 * changelog, https://replicate.com/changelog/2025-10-16-prediction-deadlines: the deadline passed
 * before the prediction started; public models do not bill it).
 */
export function pollResultFrom(p: Prediction, secrets: (string | undefined)[]): PollResult {
  switch (p.status) {
    case 'starting':
      return { state: 'queued', pollAfterMs: 1000 };
    case 'processing':
      return { state: 'running', pollAfterMs: 1500 };
    case 'succeeded': {
      const images = outputImages(p.output);
      if (!images.length) {
        return {
          state: 'failed',
          error: new ProviderError({
            code: 'provider_error',
            message: `${VENDOR}: the prediction succeeded without an image.`,
            httpStatus: 200,
          }),
        };
      }
      return { state: 'succeeded', images, usage: usageOf(p) };
    }
    case 'failed':
      return { state: 'failed', error: predictionFailure(p.error, secrets) };
    case 'canceled':
      return { state: 'cancelled' };
    case 'aborted':
      return {
        state: 'failed',
        error: new ProviderError({
          code: 'timeout',
          providerCode: 'aborted',
          message: `${VENDOR}: the prediction did not start before its deadline.`,
        }),
      };
    default:
      // A status added after this was written: keep polling rather than guess an outcome.
      return { state: 'running', pollAfterMs: 2000 };
  }
}
