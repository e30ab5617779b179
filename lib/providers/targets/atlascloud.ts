import { target, type ProviderInfo } from '../target-kit';

export const ATLASCLOUD_INFO: ProviderInfo = {
  id: 'atlascloud',
  label: 'Atlas Cloud',
  envKey: 'ATLASCLOUD_API_KEY',
  docsUrl: 'https://www.atlascloud.ai/docs',
};

/**
 * Wan 2.7 image edit on Atlas Cloud's unified media API. Client-safe: facts only, no env.
 *
 * Model ids and prices are Atlas's own model pages (atlascloud.ai/models/alibaba/wan-2.7/image-edit
 * and …/wan-2.7-pro/image-edit, "0.03" / "0.075" per run; stored copies read 2026-12-01).
 * The input fields are NOT from Atlas: its model pages show a generic code template, and the
 * per-model schema behind GET /api/v1/models was not in the material consulted. Two independent
 * third-party clients agree on `images` (URLs), `prompt`, `size` "1K"/"2K" (a tier: the edit
 * keeps the input's aspect ratio), `n`, `seed`, and no negative prompt or output format.
 * They disagree on the reference limit (9 vs 3); we offer the smaller. Input sides follow
 * Alibaba's own Wan 2.7 limits (240–8000 px); the app sends at most 2048. Output is PNG.
 */
const WAN_27 = {
  maxReferences: 3,
  minInputSide: 240,
  maxInputSide: 2048,
  sizes: ['auto', '1024x1024', '2048x2048'],
  formats: ['png'],
} as const;

export const ATLASCLOUD_TARGETS = [
  target('atlascloud', 'alibaba/wan-2.7/image-edit', 'Wan 2.7 image edit (Atlas Cloud, unverified fields)', 'wan', {
    ...WAN_27,
    sizes: [...WAN_27.sizes],
    formats: [...WAN_27.formats],
    pricePerImageUsd: 0.03,
    priceNote:
      'Atlas Cloud model page: $0.03 per run, one image per run (atlascloud.ai/models/alibaba/wan-2.7/image-edit, read 2026-12-01).',
  }),
  target('atlascloud', 'alibaba/wan-2.7-pro/image-edit', 'Wan 2.7 Pro image edit (Atlas Cloud, unverified fields)', 'wan', {
    ...WAN_27,
    sizes: [...WAN_27.sizes],
    formats: [...WAN_27.formats],
    pricePerImageUsd: 0.075,
    priceNote:
      'Atlas Cloud model page: $0.075 per run, one image per run (atlascloud.ai/models/alibaba/wan-2.7-pro/image-edit, read 2026-12-01).',
  }),
];
