import { target, type ProviderInfo } from '../target-kit';

export const MODELSLAB_INFO: ProviderInfo = {
  id: 'modelslab',
  label: 'ModelsLab',
  envKey: 'MODELSLAB_API_KEY',
  docsUrl: 'https://docs.modelslab.com',
};

/**
 * ModelsLab image-edit targets. Client-safe: facts only, no env.
 *
 * Wan 2.7: ModelsLab's official docs (ModelsLab/docs-v2) list no Wan image-edit model. The
 * default model id `wan-2.7-i2i` on `/v7/images/image-to-image` comes from third-party ModelsLab
 * clients and is UNVERIFIED; the server can point it elsewhere (MODELSLAB_EDIT_PATH,
 * MODELSLAB_MODEL_ID). Its size, negative-prompt and strength fields are unknown, so it offers
 * 'auto' and seed only. Four references is a conservative cap (ModelsLab's documented multi-image
 * endpoints take at most 4; Wan itself takes 9).
 *
 * FLUX.1 Kontext dev: documented (docs-v2 image-editing/flux-kontext-img-to-image.mdx, openapi.json):
 * `init_image` + `init_image_2`, width/height ≤ 1024, strength 0–1, guidance 0–20, negative prompt, seed.
 * Neither page states an output format or a price.
 */
export const MODELSLAB_TARGETS = [
  target('modelslab', 'wan-2.7-i2i', 'Wan 2.7 image edit (ModelsLab, unverified endpoint)', 'wan', {
    maxReferences: 4,
    minInputSide: 240,
    maxInputSide: 2048,
    formats: ['png'],
    pricePerImageUsd: 0.03,
    priceNote:
      'Unverified: $0.03/image comes from a third-party price table for ModelsLab’s wan-2.7-i2i; ModelsLab’s docs list neither this model nor a price.',
  }),
  target('modelslab', 'flux-kontext-dev', 'FLUX.1 Kontext dev (ModelsLab)', 'flux', {
    maxReferences: 2,
    minInputSide: 64,
    maxInputSide: 2048,
    sizes: ['auto', '1024x1024', '1024x768', '768x1024', '512x512'],
    negativePrompt: true,
    strength: true,
    guidance: true,
    formats: ['png'],
    pricePerImageUsd: null,
    priceNote: 'ModelsLab bills by plan/credits and its docs state no per-image price for this model.',
  }),
];
