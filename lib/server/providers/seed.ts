import 'server-only';

/** Upper bound of the Wan seed range: 0…2147483647 at DashScope, fal, Kie and Replicate (issue11-research.md §9). */
const WAN_SEED_MAX = 2_147_483_647;

/**
 * Folds our seed into `1…max`. 0 and negatives are never sent: a vendor that reads 0 as
 * "random" would make the variation irreproducible, so 0 becomes a fixed stand-in (the range
 * maximum) and the same seed always gives the same request.
 */
export function nonZeroSeed(seed: number, max: number): number {
  if (!Number.isFinite(seed)) return max;
  const n = Math.abs(Math.trunc(seed)) % (max + 1);
  return n === 0 ? max : n;
}

/**
 * The seed for any Wan 2.x gateway. The hosts disagree on what 0 and negatives mean:
 * - UCloud Modelverse, a DashScope-compatible Wan 2.7 gateway: "`0` or omitted means unset"
 *   ([3P] astraflow.ucloud.cn Wan-AI-Wan2.7-Image doc);
 * - WaveSpeed: `seed` −1 = random (wavespeed.ai Wan 2.5 edit llms.txt); Atlas Cloud: "Random if -1"
 *   (AtlasCloudAI/atlascloud_comfyui@12879ed nodes/image/wan26_image_edit.py);
 * - DashScope, fal, Kie, Replicate: 0…2147483647 with "omitted = random" (fal-ai/fal-js@381105e1
 *   libs/client/src/types/endpoints.ts WanV27EditInput; Alibaba Wan docs).
 * So the one value every Wan host reads as a fixed seed is 1…2147483647. Every Wan adapter
 * (and any new Wan vendor) sends `wanSeed(req.seed)`.
 */
export function wanSeed(seed: number): number {
  return nonZeroSeed(seed, WAN_SEED_MAX);
}
