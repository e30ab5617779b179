import { target, type ProviderInfo } from '../target-kit';

export const OPENAI_INFO: ProviderInfo = {
  id: 'openai',
  label: 'OpenAI',
  envKey: 'OPENAI_API_KEY',
  docsUrl: 'https://platform.openai.com/docs',
};

/**
 * OpenAI GPT Image targets (POST /v1/images/edits). Client-safe: facts only, no env.
 * No seed, negative prompt, strength or guidance on this endpoint; sizes are the three the
 * edit endpoint accepts plus 'auto' (https://developers.openai.com/api/reference/resources/images/methods/edit.md).
 */
const SIZES = ['auto', '1024x1024', '1536x1024', '1024x1536'];

/** Published USD per 1M tokens, used to turn the `usage` block of a response into a cost. */
export type TokenPrices = { textInput: number; imageInput: number; imageOutput: number };

export const OPENAI_TOKEN_PRICES: Record<string, TokenPrices> = {
  // https://developers.openai.com/api/docs/models/gpt-image-1 : text in $5, image in $10, image out $40.
  'gpt-image-1': { textInput: 5, imageInput: 10, imageOutput: 40 },
  // https://developers.openai.com/api/docs/models/gpt-image-1-mini : text in $2, image in $2.50, image out $8.
  'gpt-image-1-mini': { textInput: 2, imageInput: 2.5, imageOutput: 8 },
};

const common = {
  // Up to 16 images per edit for GPT image models (edit reference above).
  maxReferences: 16,
  overflow: 'drop' as const,
  // OpenAI downsizes large inputs itself; 2048 keeps uploads small without losing detail it would keep.
  maxInputSide: 2048,
  minInputSide: 64,
  sizes: SIZES,
  seed: false,
  negativePrompt: false,
  strength: false,
  guidance: false,
  formats: ['png' as const, 'jpeg' as const],
};

export const OPENAI_TARGETS = [
  target('openai', 'gpt-image-1', 'GPT Image 1 (OpenAI)', 'gpt-image', {
    ...common,
    pricePerImageUsd: 0.042,
    priceNote:
      'Estimate: medium quality 1024x1024 output ($0.042, other sizes $0.063) plus input tokens; the real cost is computed from the usage OpenAI returns. OpenAI has announced this model\u2019s retirement.',
  }),
  target('openai', 'gpt-image-1-mini', 'GPT Image 1 mini (OpenAI)', 'gpt-image', {
    ...common,
    pricePerImageUsd: 0.011,
    priceNote:
      'Estimate: medium quality 1024x1024 output ($0.011) plus input tokens; the real cost is computed from the usage OpenAI returns.',
  }),
  target('openai', 'gpt-image-1.5', 'GPT Image 1.5 (OpenAI)', 'gpt-image', {
    ...common,
    pricePerImageUsd: null,
    priceNote: 'OpenAI\u2019s per-token price for gpt-image-1.5 was not confirmed; usage is recorded without a cost.',
  }),
];
