/**
 * Client-safe catalog of every provider/model target: names, capabilities and prices.
 * No secrets here: whether a provider is configured is decided on the server
 * (lib/server/providers/registry.ts) and passed down as a plain boolean.
 * Each vendor's targets live in ./targets/<vendor>.ts beside its adapter's facts.
 */
import type { CatalogTarget } from './target-kit';
import { COMFYUI_TARGETS } from './targets/comfyui';
import { DASHSCOPE_TARGETS } from './targets/dashscope';
import { FAL_TARGETS } from './targets/fal';
import { KIE_TARGETS } from './targets/kie';
import { MODELSLAB_TARGETS } from './targets/modelslab';
import { OFFLINE_TARGETS } from './targets/offline';
import { OPENAI_TARGETS } from './targets/openai';
import { REPLICATE_TARGETS } from './targets/replicate';
import { STABILITY_TARGETS } from './targets/stability';
import { TOGETHER_TARGETS } from './targets/together';
import { WAVESPEED_TARGETS } from './targets/wavespeed';

export * from './target-kit';

export const OFFLINE_TARGET_ID = 'offline:engine-v1';

export const CATALOG: CatalogTarget[] = [
  ...OFFLINE_TARGETS,
  ...WAVESPEED_TARGETS,
  ...DASHSCOPE_TARGETS,
  ...KIE_TARGETS,
  ...MODELSLAB_TARGETS,
  ...TOGETHER_TARGETS,
  ...REPLICATE_TARGETS,
  ...FAL_TARGETS,
  ...OPENAI_TARGETS,
  ...STABILITY_TARGETS,
  ...COMFYUI_TARGETS,
];

export function findTarget(id: string): CatalogTarget | undefined {
  return CATALOG.find((t) => t.id === id);
}

/** Parses "1024x768" into numbers; undefined for "auto". */
export function parseSize(size: string): { width: number; height: number } | undefined {
  const m = /^(\d{2,5})x(\d{2,5})$/.exec(size);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : undefined;
}
