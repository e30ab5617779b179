import { target, type ProviderInfo } from '../target-kit';

export const KIE_INFO: ProviderInfo = { id: 'kie', label: 'Kie.ai', envKey: 'KIE_API_KEY', docsUrl: 'https://docs.kie.ai' };

/**
 * Wan 2.7 image models on Kie.ai's Market jobs API. Client-safe: facts only, no env.
 *
 * The model ids and input fields come from third-party Kie clients (several independent ones
 * agree; justintanner/apicity@58c740bd packages/provider/kie/src/zod.ts); Kie's own Wan 2.7 page
 * was not in the material consulted. They say: up to 9 input images, `resolution` 1K/2K for
 * edits (4K is text-to-image only), `aspect_ratio` from an 8-value enum and only with
 * `resolution`, `seed` 0…2147483647, no negative prompt, strength or guidance.
 * Output is PNG (Wan's format; Kie documents no output-format switch).
 * Sizes are a tier and a shape, not exact pixels: the pixel count picks the tier (≤ ~1.5 MP → 1K,
 * else 2K) and the nearest enum ratio is sent with it. 'auto' sends 2K and the first reference's
 * ratio, since third parties disagree on Kie's default ratio (1:1, 16:9 or the input's).
 * Input sides: Wan 2.7 accepts 240–8000 px (Alibaba's own limits); the app sends at most 2048.
 */
const WAN_27 = {
  maxReferences: 9,
  minInputSide: 240,
  maxInputSide: 2048,
  sizes: ['auto', '1024x1024', '1280x720', '720x1280', '1152x864', '864x1152', '2048x2048'],
  formats: ['png'],
} as const;

export const KIE_TARGETS = [
  target('kie', 'wan/2-7-image', 'Wan 2.7 image edit (Kie.ai)', 'wan', {
    ...WAN_27,
    sizes: [...WAN_27.sizes],
    formats: [...WAN_27.formats],
    pricePerImageUsd: null,
    priceNote:
      'Kie bills in credits and its docs state no per-image price for this model; resellers list Wan 2.7 at about $0.03/image. Check kie.ai/pricing.',
  }),
  target('kie', 'wan/2-7-image-pro', 'Wan 2.7 Pro image edit (Kie.ai)', 'wan', {
    ...WAN_27,
    sizes: [...WAN_27.sizes],
    formats: [...WAN_27.formats],
    pricePerImageUsd: null,
    priceNote:
      'Kie bills in credits and its docs state no per-image price for this model; resellers list Wan 2.7 Pro at about $0.075/image. Check kie.ai/pricing.',
  }),
];
