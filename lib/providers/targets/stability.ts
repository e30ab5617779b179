import { target, type ProviderInfo } from '../target-kit';

export const STABILITY_INFO: ProviderInfo = {
  id: 'stability',
  label: 'Stability AI',
  envKey: 'STABILITY_API_KEY',
  docsUrl: 'https://platform.stability.ai/docs',
};

/**
 * Stability AI targets. Two API generations:
 * - v2beta Stable Image `generate/sd3` in `mode=image-to-image` (SD 3.5 family): the output
 *   follows the input's aspect ratio, so only 'auto' size is offered.
 * - v1 SDXL `image-to-image`: the output has the init image's dimensions, which must be one
 *   of SDXL's nine allowed sizes; the adapter crops/resizes the reference to the nearest one.
 * Prices: Stability bills credits at $0.01 each; SD 3.5 Large 6.5, Large Turbo 4, Medium 3.5
 * credits per image ([3P] https://developer.puter.com/tutorials/stability-ai-api-pricing/,
 * official page https://platform.stability.ai/pricing not in the material consulted).
 */

/** SDXL 1.0 accepts only these sizes (Stability's own 400 message lists them; see adapter). */
export const SDXL_SIZES = [
  '1024x1024',
  '1152x896',
  '896x1152',
  '1216x832',
  '832x1216',
  '1344x768',
  '768x1344',
  '1536x640',
  '640x1536',
] as const;

const sd3 = {
  maxReferences: 1,
  // One init image only: extra references are stitched into it by the caller.
  overflow: 'stitch',
  minInputSide: 64,
  maxInputSide: 2048,
  sizes: ['auto'],
  seed: true,
  negativePrompt: true,
  strength: true,
  guidance: true,
  formats: ['png', 'jpeg'],
} as const;

const creditNote = (credits: number) =>
  `${credits} Stability credits ($0.01 each) per image, third-party price table (developer.puter.com); official page not verified.`;

export const STABILITY_TARGETS = [
  target('stability', 'sd3.5-large', 'SD 3.5 Large (Stability)', 'sdxl', {
    ...sd3,
    sizes: [...sd3.sizes],
    formats: [...sd3.formats],
    pricePerImageUsd: 0.065,
    priceNote: creditNote(6.5),
  }),
  target('stability', 'sd3.5-large-turbo', 'SD 3.5 Large Turbo (Stability)', 'sdxl', {
    ...sd3,
    sizes: [...sd3.sizes],
    formats: [...sd3.formats],
    // Turbo ignores negative prompts ([3P] Stability SD3 example gist, chiliec/e2986507061ad23a61ccf545fb9147f2).
    negativePrompt: false,
    pricePerImageUsd: 0.04,
    priceNote: creditNote(4),
  }),
  target('stability', 'sd3.5-medium', 'SD 3.5 Medium (Stability)', 'sdxl', {
    ...sd3,
    sizes: [...sd3.sizes],
    formats: [...sd3.formats],
    pricePerImageUsd: 0.035,
    priceNote: creditNote(3.5),
  }),
  target('stability', 'stable-diffusion-xl-1024-v1-0', 'SDXL 1.0 (Stability v1)', 'sdxl', {
    maxReferences: 1,
    overflow: 'stitch',
    minInputSide: 128,
    maxInputSide: 2048,
    sizes: ['auto', ...SDXL_SIZES],
    seed: true,
    negativePrompt: true,
    strength: true,
    guidance: true,
    // v1 answers PNG only (Accept: application/json gives base64 PNG).
    formats: ['png'],
    pricePerImageUsd: null,
    priceNote: 'SDXL is billed by steps in Stability credits; no flat per-image price was found.',
  }),
];
