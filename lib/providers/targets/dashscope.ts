import { target, type ProviderInfo } from '../target-kit';

export const DASHSCOPE_INFO: ProviderInfo = {
  id: 'dashscope',
  label: 'Alibaba DashScope',
  envKey: 'DASHSCOPE_API_KEY',
  docsUrl: 'https://www.alibabacloud.com/help/en/model-studio/',
};

/**
 * Wan image models on Alibaba Cloud Model Studio (DashScope), first party. Client-safe: no env.
 *
 * Limits (https://docs.qwencloud.com/api-reference/image-generation/wan27-image-gen-edit/synchronous,
 * https://www.alibabacloud.com/help/en/model-studio/wan-image-edit-2-5): up to 9 references for 2.7,
 * 4 for 2.6 (we never send more than 4, our upload limit); sides 240–8000 px; output PNG only.
 * `size` for editing is a tier, "1K" or "2K", and the aspect ratio follows the input, so the
 * two sizes below are tiers, not exact shapes: the adapter maps ≤1.5 MP to "1K", larger to "2K".
 * `seed` is 0…2147483647. `negative_prompt` is documented for wan2.6-image, not for 2.7.
 */
const COMMON = {
  minInputSide: 240,
  maxInputSide: 2048,
  sizes: ['auto', '1024x1024', '2048x2048'],
  formats: ['png' as const],
};

export const DASHSCOPE_TARGETS = [
  target('dashscope', 'wan2.7-image', 'Wan 2.7 image (DashScope)', 'wan', {
    ...COMMON,
    maxReferences: 4,
    pricePerImageUsd: 0.03,
    priceNote: 'Resellers list $0.03/image (¥0.20 in China); Alibaba’s international price page was not checked. Estimate.',
  }),
  target('dashscope', 'wan2.7-image-pro', 'Wan 2.7 image Pro (DashScope)', 'wan', {
    ...COMMON,
    maxReferences: 4,
    pricePerImageUsd: 0.075,
    priceNote: 'Resellers list $0.075/image (¥0.50 in China); Alibaba’s international price page was not checked. Estimate.',
  }),
  target('dashscope', 'wan2.6-image', 'Wan 2.6 image (DashScope)', 'wan', {
    ...COMMON,
    maxReferences: 4,
    negativePrompt: true,
    pricePerImageUsd: null,
    priceNote: 'No published price found for wan2.6-image.',
  }),
  /**
   * Wan 2.1 general image edit, instruction mode (`function: description_edit`), for teams
   * weighing a move from 2.1 to 2.7 (https://help.aliyun.com/zh/model-studio/wanx-image-edit,
   * updated 2026-02-11). Beijing region only: with DASHSCOPE_REGION=intl the adapter refuses it.
   * One base image; the output follows its size, so 'auto' only. `strength` 0–1 (default 0.5).
   * Input side limits are not in the material consulted: 512–2048 px is a conservative range.
   */
  target('dashscope', 'wanx2.1-imageedit', 'Wan 2.1 image edit (DashScope, Beijing region only)', 'wan', {
    maxReferences: 1,
    overflow: 'drop',
    minInputSide: 512,
    maxInputSide: 2048,
    sizes: ['auto'],
    strength: true,
    formats: ['png'],
    pricePerImageUsd: 0.02007,
    priceNote:
      'Alibaba lists ¥0.14 per image in Beijing (help.aliyun.com wanx-image-edit) and $0.020070 on its international price list; billed only when the task succeeds. Read 2026-12-01.',
  }),
];
