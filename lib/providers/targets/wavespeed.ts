import { target, type ProviderInfo } from '../target-kit';

export const WAVESPEED_INFO: ProviderInfo = {
  id: 'wavespeed',
  label: 'WaveSpeed AI',
  envKey: 'WAVESPEED_API_KEY',
  docsUrl: 'https://wavespeed.ai/docs',
};

/**
 * Wan image-edit models served by WaveSpeed AI. Client-safe: facts only, no env.
 *
 * Input count: the Wan 2.7 pages say "Upload 1 to 3 input images"
 * (https://wavespeed.ai/docs/docs-api/alibaba/alibaba-wan-2.7-image-edit-pro); an older copy of the
 * same page said 1–9, so we keep the smaller, currently published number. Wan 2.6 image-edit has no
 * published schema on WaveSpeed; 3 is the limit third-party wrappers of the same model use.
 * Wan 2.5 takes at most 2 images, sides 384–5000 px, `size` "W*H" and `negative_prompt`
 * (https://wavespeed.ai/models/alibaba/wan-2.5/image-edit/llms.txt).
 * The `size` field of the 2.7/2.6 endpoints is not published, so those offer 'auto' only.
 * WaveSpeed states no input side range for 2.7/2.6; 240 px is Alibaba's own minimum for the model.
 * Output is PNG (Wan's own format); WaveSpeed documents no output-format switch for these models.
 */
const WAN_INPUT = { minInputSide: 240, maxInputSide: 2048, formats: ['png' as const] };

export const WAVESPEED_TARGETS = [
  target('wavespeed', 'alibaba/wan-2.7/image-edit', 'Wan 2.7 image edit (WaveSpeed)', 'wan', {
    ...WAN_INPUT,
    maxReferences: 3,
    pricePerImageUsd: 0.03,
    priceNote: 'Third-party catalogs list $0.03/image; WaveSpeed’s own page states no price. Check wavespeed.ai/pricing.',
  }),
  target('wavespeed', 'alibaba/wan-2.7/image-edit-pro', 'Wan 2.7 Pro image edit (WaveSpeed)', 'wan', {
    ...WAN_INPUT,
    maxReferences: 3,
    pricePerImageUsd: 0.075,
    priceNote: 'Third-party catalogs list $0.075/image; WaveSpeed’s own page states no price. Check wavespeed.ai/pricing.',
  }),
  target('wavespeed', 'alibaba/wan-2.6/image-edit', 'Wan 2.6 image edit (WaveSpeed)', 'wan', {
    ...WAN_INPUT,
    maxReferences: 3,
    pricePerImageUsd: null,
    priceNote: 'No published WaveSpeed price for this model.',
  }),
  target('wavespeed', 'alibaba/wan-2.5/image-edit', 'Wan 2.5 image edit (WaveSpeed)', 'wan', {
    formats: ['png'],
    maxReferences: 2,
    minInputSide: 384,
    maxInputSide: 2048,
    // Total pixels must stay within 768²–1280², aspect 1:4–4:1; the adapter clamps other requests.
    sizes: ['auto', '1024x1024', '1280x1280', '1280x720', '720x1280', '1152x896', '896x1152'],
    negativePrompt: true,
    pricePerImageUsd: 0.03,
    priceNote: 'WaveSpeed model page: "Every edit is just $0.03".',
  }),
];
