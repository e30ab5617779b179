import { target, type ProviderInfo } from '../target-kit';

export const STABILITY_INFO: ProviderInfo = {
  id: 'stability',
  label: 'Stability AI',
  envKey: 'STABILITY_API_KEY',
  docsUrl: 'https://platform.stability.ai/docs',
};

/**
 * Stability AI targets: v2beta Stable Image `generate/sd3` in `mode=image-to-image` (SD 3.5
 * family); the output follows the input's aspect ratio, so only 'auto' size is offered.
 * Prices: Stability bills credits at $0.01 each; SD 3.5 Large 6.5, Large Turbo 4, Medium 3.5
 * credits per image ([3P] https://developer.puter.com/tutorials/stability-ai-api-pricing/,
 * official page https://platform.stability.ai/pricing not in the material consulted).
 *
 * SDXL 1.0 (v1 `/v1/generation/stable-diffusion-xl-1024-v1-0/image-to-image`) is no longer
 * offered. Whether Stability has retired it could not be confirmed from a Stability page either
 * way; its own current client uses v2beta only (Stability-AI/ComfyUI-SAI_API@6c0e3a21
 * stability_api.py) and the v1 engines it did retire answer 404 `not_found`. Hidden rather than
 * kept as a target that may fail at any time; SD 3.5 below covers the same edits on v2beta.
 */

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
];
