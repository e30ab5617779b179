import { target, type ProviderInfo } from '../target-kit';

export const TOGETHER_INFO: ProviderInfo = {
  id: 'together',
  label: 'Together AI',
  envKey: 'TOGETHER_API_KEY',
  docsUrl: 'https://docs.together.ai',
};

/**
 * Image-edit models served by Together AI. Client-safe: facts only, no env.
 *
 * Sources: https://docs.together.ai/docs/inference/images/reference-images (which field each model
 * takes) and togethercomputer/skills skills/together-images/references/{api-reference,models}.md
 * (sizes 256–1920, Kontext aspect ratios, the FLUX.2 feature matrix, the pricing formula).
 * Wan 2.7 is not in Together's model list, so it is not offered here.
 *
 * Price: Together bills FLUX by megapixels × price-per-MP × (steps / default steps); the per-MP
 * rates are not in the docs we could read, so no number is shown.
 */
const PRICE = {
  pricePerImageUsd: null,
  priceNote:
    'Billed per megapixel (Together models.md formula); the per-MP rate is not published in the docs we read. See together.ai/pricing.',
};

/** Inputs: Together's documented output range; the same bounds keep a data-URI body reasonable. */
const INPUT = { minInputSide: 256, maxInputSide: 1920 };

/** Sizes listed as "Standard (most models)" in models.md. */
const FLUX2_SIZES = ['auto', '1024x1024', '1344x768', '768x1344', '1248x832', '832x1248', '1184x864', '864x1184'];
/** Kontext takes `aspect_ratio` (1:1, 16:9, 9:16, 4:3, 3:2 documented): one size per ratio. */
const KONTEXT_SIZES = ['auto', '1024x1024', '1344x768', '768x1344', '1184x864', '1248x832'];

export const TOGETHER_TARGETS = [
  // Kontext takes a single `image_url`; extra references are stitched into one image.
  // Output format is not selectable on Kontext (`output_format` is FLUX.2-only); Together's default is JPEG.
  target('together', 'black-forest-labs/FLUX.1-kontext-pro', 'FLUX.1 Kontext [pro] (Together)', 'flux', {
    ...INPUT,
    ...PRICE,
    maxReferences: 1,
    overflow: 'stitch',
    sizes: KONTEXT_SIZES,
    formats: ['jpeg'],
  }),
  target('together', 'black-forest-labs/FLUX.1-kontext-max', 'FLUX.1 Kontext [max] (Together)', 'flux', {
    ...INPUT,
    ...PRICE,
    maxReferences: 1,
    overflow: 'stitch',
    sizes: KONTEXT_SIZES,
    formats: ['jpeg'],
  }),
  // FLUX.2 takes `reference_images[]`; the docs give no maximum, 4 is this app's own limit.
  target('together', 'black-forest-labs/FLUX.2-pro', 'FLUX.2 [pro] (Together)', 'flux', {
    ...INPUT,
    ...PRICE,
    maxReferences: 4,
    sizes: FLUX2_SIZES,
  }),
  target('together', 'black-forest-labs/FLUX.2-flex', 'FLUX.2 [flex] (Together)', 'flux', {
    ...INPUT,
    ...PRICE,
    maxReferences: 4,
    sizes: FLUX2_SIZES,
    guidance: true,
  }),
  target('together', 'black-forest-labs/FLUX.2-dev', 'FLUX.2 [dev] (Together)', 'flux', {
    ...INPUT,
    ...PRICE,
    maxReferences: 4,
    sizes: FLUX2_SIZES,
    guidance: true,
  }),
];
