/**
 * Types and the `target()` builder for the client-safe catalog of every provider/model target: names, capabilities and prices.
 * No secrets here: whether a provider is configured is decided on the server
 * (lib/server/providers/registry.ts) and passed down as a plain boolean.
 */
export const PROVIDER_IDS = [
  'offline',
  'wavespeed',
  'dashscope',
  'kie',
  'modelslab',
  'together',
  'replicate',
  'fal',
  'openai',
  'stability',
  'atlascloud',
  'comfyui',
] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

type OutputFormat = 'png' | 'jpeg';

/**
 * A vendor's own safety setting, shown in the composer with the vendor's default and sent as is.
 * `level`: a number from `min` (strictest) to `max` (most permissive), e.g. FLUX's
 * `safety_tolerance`. `checker`: the vendor's output safety checker on or off, e.g. fal's
 * `enable_safety_checker` (`invert` when the wire field is `disable_…`). `source` cites the docs.
 */
export type SafetyControl =
  | { kind: 'level'; field: string; min: number; max: number; default: number; note: string; source: string }
  | { kind: 'checker'; field: string; default: boolean; invert?: boolean; note: string; source: string };

export type TargetCapabilities = {
  /** References the model takes; more are stitched into one image or dropped. */
  maxReferences: number;
  overflow: 'drop' | 'stitch';
  /** Longest / shortest input side the vendor accepts; inputs are resized to fit. */
  maxInputSide: number;
  minInputSide: number;
  /** Output sizes offered in the form ('auto' = let the model follow the input). */
  sizes: string[];
  seed: boolean;
  negativePrompt: boolean;
  strength: boolean;
  guidance: boolean;
  formats: OutputFormat[];
  /** Published list price per output image in USD; null where the vendor publishes none. */
  pricePerImageUsd: number | null;
  /** Where that price comes from, so nobody mistakes an estimate for a quote. */
  priceNote: string;
  /** The vendor's safety setting for this model, where it exposes one. */
  safety?: SafetyControl;
};

export type CatalogTarget = {
  /** `${provider}:${model}`: stable, stored with every variation. */
  id: string;
  provider: ProviderId;
  model: string;
  label: string;
  family: 'offline' | 'wan' | 'flux' | 'gpt-image' | 'sdxl' | 'comfyui';
  capabilities: TargetCapabilities;
};

export type ProviderInfo = {
  id: ProviderId;
  label: string;
  /** The env variable that turns the provider on, shown as "add KEY to .env". */
  envKey: string | null;
  docsUrl: string;
};

const base = {
  overflow: 'drop',
  maxInputSide: 2048,
  minInputSide: 64,
  sizes: ['auto'],
  seed: true,
  negativePrompt: false,
  strength: false,
  guidance: false,
  formats: ['png', 'jpeg'],
  pricePerImageUsd: null,
  priceNote: 'No published price.',
} satisfies Omit<TargetCapabilities, 'maxReferences'>;

export function target(
  provider: ProviderId,
  model: string,
  label: string,
  family: CatalogTarget['family'],
  caps: Partial<TargetCapabilities> & Pick<TargetCapabilities, 'maxReferences'>,
): CatalogTarget {
  return { id: `${provider}:${model}`, provider, model, label, family, capabilities: { ...base, ...caps } };
}
