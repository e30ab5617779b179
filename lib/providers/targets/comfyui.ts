import { target, type ProviderInfo } from '../target-kit';

export const COMFYUI_INFO: ProviderInfo = {
  id: 'comfyui',
  label: 'ComfyUI (self-hosted)',
  envKey: 'COMFYUI_BASE_URL',
  docsUrl: 'https://docs.comfy.org',
};

/**
 * The self-hosted ComfyUI target: one "model", which is whatever API-format workflow the
 * operator points COMFYUI_WORKFLOW at. What it really supports depends on that file's
 * placeholders ({{image_1}}..{{image_4}}, {{seed}}, {{negative_prompt}}, {{strength}},
 * {{guidance}}, {{width}}/{{height}}); the adapter refuses, with a clear bad_input, a run
 * with more references than the workflow loads. These are the example workflow's values.
 */
export const COMFYUI_TARGETS = [
  target('comfyui', 'workflow', 'ComfyUI (your workflow)', 'comfyui', {
    maxReferences: 3,
    overflow: 'drop',
    minInputSide: 64,
    maxInputSide: 2048,
    sizes: ['auto'],
    seed: true,
    negativePrompt: true,
    strength: true,
    guidance: true,
    // SaveImage writes PNG.
    formats: ['png'],
    pricePerImageUsd: 0,
    priceNote: 'Runs on your own ComfyUI server: no per-image charge from a vendor.',
  }),
];
