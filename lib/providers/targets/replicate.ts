import { type ProviderInfo, type SafetyControl, target } from '../target-kit';

export const REPLICATE_INFO: ProviderInfo = {
  id: 'replicate',
  label: 'Replicate',
  envKey: 'REPLICATE_API_TOKEN',
  docsUrl: 'https://replicate.com/docs',
};

/**
 * Image-edit models on Replicate. Client-safe: facts only, no env.
 *
 * Kontext: https://replicate.com/black-forest-labs/flux-kontext-pro/api — one `input_image`,
 * `aspect_ratio` (or "match_input_image"), `output_format` jpg|png, `seed`; no negative prompt,
 * strength or guidance. FLUX dev img2img: replicate/cog-flux predict.py — one `image` (the output
 * follows its aspect, scaled to at most 1440 px), `prompt_strength`, `guidance`, `seed`.
 * Wan 2.7 (`wan-video/wan-2.7-image`, an official model; edit mode = `images` non-empty): fields
 * from a client generated from the model's OpenAPI schema ([3P] nodetool-ai/nodetool-replicate@d21aa025
 * `Wan_2_7_Image_Pro`), replicate.com's own API page not consulted. `size` is an enum, so the sizes
 * below are its presets up to 2K; 'auto' sends "2K", which follows the reference's shape.
 */
/**
 * Kontext's `safety_tolerance`: "0 is most strict and 6 is most permissive. 2 is currently the
 * maximum allowed when input images are used" (replicate.com/black-forest-labs/flux-kontext-pro/api),
 * default 2; an edit always has an input image, so 0–2.
 */
const KONTEXT_SAFETY: SafetyControl = {
  kind: 'level',
  field: 'safety_tolerance',
  min: 0,
  max: 2,
  default: 2,
  note: '0 is the strictest; 2 (the default) is the most permissive Replicate allows with an input image.',
  source: 'https://replicate.com/black-forest-labs/flux-kontext-pro/api',
};

const KONTEXT_SIZES = ['auto', '1024x1024', '1344x768', '768x1344', '1152x864', '864x1152', '1216x832', '832x1216'];

export const REPLICATE_TARGETS = [
  target('replicate', 'black-forest-labs/flux-kontext-pro', 'FLUX.1 Kontext [pro] (Replicate)', 'flux', {
    maxReferences: 1,
    overflow: 'stitch',
    minInputSide: 256,
    maxInputSide: 2048,
    sizes: KONTEXT_SIZES,
    safety: KONTEXT_SAFETY,
    pricePerImageUsd: 0.04,
    priceNote:
      '$0.04/image per third-party catalogs of Replicate’s page; Black Forest Labs’ own price is the same (docs.bfl.ml/quick_start/pricing).',
  }),
  target('replicate', 'black-forest-labs/flux-kontext-max', 'FLUX.1 Kontext [max] (Replicate)', 'flux', {
    maxReferences: 1,
    overflow: 'stitch',
    minInputSide: 256,
    maxInputSide: 2048,
    sizes: KONTEXT_SIZES,
    safety: KONTEXT_SAFETY,
    pricePerImageUsd: 0.08,
    priceNote: '$0.08/image per third-party catalogs of the Kontext family; check replicate.com/black-forest-labs/flux-kontext-max.',
  }),
  target('replicate', 'black-forest-labs/flux-dev', 'FLUX.1 [dev] img2img (Replicate)', 'flux', {
    maxReferences: 1,
    overflow: 'stitch',
    minInputSide: 256,
    // cog-flux scales img2img inputs down to 1440 px (MAX_IMAGE_SIZE), so larger uploads buy nothing.
    maxInputSide: 1440,
    strength: true,
    guidance: true,
    // cog-flux predict.py: `disable_safety_checker` "Disable safety checker for generated images", default False.
    safety: {
      kind: 'checker',
      field: 'disable_safety_checker',
      invert: true,
      default: true,
      note: 'Replicate’s safety checker on the output; on by default.',
      source: 'https://github.com/replicate/cog-flux/blob/main/predict.py',
    },
    pricePerImageUsd: 0.025,
    priceNote:
      '$0.025/image as copied from Replicate’s model page by third-party catalogs; check replicate.com/black-forest-labs/flux-dev.',
  }),
  target('replicate', 'wan-video/wan-2.7-image', 'Wan 2.7 image edit (Replicate)', 'wan', {
    // The schema takes up to 9 `images`; 4 is this app's own limit.
    maxReferences: 4,
    minInputSide: 240,
    maxInputSide: 2048,
    sizes: [
      'auto',
      '1024x1024',
      '1280x720',
      '720x1280',
      '1024x768',
      '768x1024',
      '2048x2048',
      '2048x1152',
      '1152x2048',
      '2048x1536',
      '1536x2048',
    ],
    formats: ['png'],
    pricePerImageUsd: null,
    priceNote: 'No published price found for this model on Replicate.',
  }),
];
