import { type ProviderInfo, type SafetyControl, target } from '../target-kit';

export const FAL_INFO: ProviderInfo = { id: 'fal', label: 'fal', envKey: 'FAL_KEY', docsUrl: 'https://docs.fal.ai' };

/**
 * fal.ai targets. Client-safe: facts only, no env, no server imports.
 * Kontext sizes are the nearest of its aspect-ratio enum (21:9 ... 9:21), so the form offers
 * the common shapes; 'auto' keeps the input's aspect ratio.
 */
const KONTEXT_SIZES = ['auto', '1024x1024', '1344x768', '768x1344', '1152x896', '896x1152'];

/**
 * Kontext's `safety_tolerance` on fal: a string enum "1"–"6", 1 the strictest, default "2"
 * (fal.ai/models/fal-ai/flux-pro/kontext/llms.txt; the same enum in third-party typings of the
 * schema). Sent as the string fal expects.
 */
const KONTEXT_SAFETY: SafetyControl = {
  kind: 'level',
  field: 'safety_tolerance',
  min: 1,
  max: 6,
  default: 2,
  note: '1 is the strictest, 6 the most permissive; fal’s default is 2.',
  source: 'https://fal.ai/models/fal-ai/flux-pro/kontext/llms.txt',
};

export const FAL_TARGETS = [
  target('fal', 'fal-ai/flux-pro/kontext', 'FLUX.1 Kontext [pro] (fal)', 'flux', {
    // One `image_url`; several references are stitched into one sheet by the caller.
    maxReferences: 1,
    overflow: 'stitch',
    maxInputSide: 2048,
    minInputSide: 64,
    sizes: KONTEXT_SIZES,
    seed: true,
    guidance: true,
    formats: ['jpeg', 'png'],
    safety: KONTEXT_SAFETY,
    pricePerImageUsd: 0.04,
    priceNote: 'fal list price, $0.04 per image (fal.ai/models/fal-ai/flux-pro/kontext/llms.txt).',
  }),
  target('fal', 'fal-ai/flux-pro/kontext/max/multi', 'FLUX.1 Kontext [max] multi (fal)', 'flux', {
    // `image_urls`; 4 is the cap third-party integrations use, fal's page states none we could read.
    maxReferences: 4,
    overflow: 'drop',
    maxInputSide: 2048,
    minInputSide: 64,
    sizes: KONTEXT_SIZES,
    seed: true,
    guidance: true,
    formats: ['jpeg', 'png'],
    safety: KONTEXT_SAFETY,
    pricePerImageUsd: 0.08,
    priceNote:
      'Kontext [max] is $0.08 per image on fal (fal llms.txt for kontext/max); the multi variant price is from third-party tables.',
  }),
  target('fal', 'fal-ai/wan/v2.7/edit', 'Wan 2.7 Edit (fal)', 'wan', {
    // `WanV27EditInput` (fal-ai/fal-js@381105e1 libs/client/src/types/endpoints.ts, generated from
    // fal's OpenAPI): 1-4 `image_urls`, `image_size` a preset or {width, height} ('auto' sends the
    // first reference's shape at ~1 MP), output_format jpeg|png|webp, seed 0-2147483647. Input
    // sides 240-8000 px are Wan 2.7's own limits (Alibaba); fal states none.
    maxReferences: 4,
    overflow: 'drop',
    maxInputSide: 4096,
    minInputSide: 240,
    sizes: ['auto', '1024x1024', '1024x768', '768x1024', '1280x720', '720x1280', '2048x2048'],
    seed: true,
    negativePrompt: true,
    formats: ['png', 'jpeg'],
    // WanV27EditInput `enable_safety_checker` (same source as above), default true.
    safety: {
      kind: 'checker',
      field: 'enable_safety_checker',
      default: true,
      note: 'fal’s safety checker on the output; on by default.',
      source: 'https://fal.ai/models/fal-ai/wan/v2.7/edit/llms.txt',
    },
    pricePerImageUsd: 0.03,
    priceNote: 'fal list price, $0.03 per image (fal.ai/models/fal-ai/wan/v2.7/edit/llms.txt).',
  }),
];
