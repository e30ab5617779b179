/**
 * Client-safe catalog of every provider/model target: names, capabilities and prices.
 * No secrets here: whether a provider is configured is decided on the server
 * (lib/server/providers/registry.ts) and passed down as a plain boolean.
 * Each vendor's facts (its ProviderInfo and its targets) live in ./targets/<vendor>.ts; its
 * server half (config, adapter, wire format) in lib/server/providers/<vendor>/.
 */
import type { CatalogTarget, ProviderId, ProviderInfo } from './target-kit';
import { PROVIDER_IDS } from './target-kit';
import { ATLASCLOUD_INFO, ATLASCLOUD_TARGETS } from './targets/atlascloud';
import { COMFYUI_INFO, COMFYUI_TARGETS } from './targets/comfyui';
import { DASHSCOPE_INFO, DASHSCOPE_TARGETS } from './targets/dashscope';
import { FAL_INFO, FAL_TARGETS } from './targets/fal';
import { KIE_INFO, KIE_TARGETS } from './targets/kie';
import { MODELSLAB_INFO, MODELSLAB_TARGETS } from './targets/modelslab';
import { OFFLINE_INFO, OFFLINE_TARGETS } from './targets/offline';
import { OPENAI_INFO, OPENAI_TARGETS } from './targets/openai';
import { REPLICATE_INFO, REPLICATE_TARGETS } from './targets/replicate';
import { STABILITY_INFO, STABILITY_TARGETS } from './targets/stability';
import { TOGETHER_INFO, TOGETHER_TARGETS } from './targets/together';
import { WAVESPEED_INFO, WAVESPEED_TARGETS } from './targets/wavespeed';

export * from './target-kit';

/** One line per vendor; the Record type makes a missing line a type error. */
const VENDORS: Record<ProviderId, { info: ProviderInfo; targets: CatalogTarget[] }> = {
  offline: { info: OFFLINE_INFO, targets: OFFLINE_TARGETS },
  wavespeed: { info: WAVESPEED_INFO, targets: WAVESPEED_TARGETS },
  dashscope: { info: DASHSCOPE_INFO, targets: DASHSCOPE_TARGETS },
  kie: { info: KIE_INFO, targets: KIE_TARGETS },
  modelslab: { info: MODELSLAB_INFO, targets: MODELSLAB_TARGETS },
  together: { info: TOGETHER_INFO, targets: TOGETHER_TARGETS },
  replicate: { info: REPLICATE_INFO, targets: REPLICATE_TARGETS },
  fal: { info: FAL_INFO, targets: FAL_TARGETS },
  openai: { info: OPENAI_INFO, targets: OPENAI_TARGETS },
  stability: { info: STABILITY_INFO, targets: STABILITY_TARGETS },
  atlascloud: { info: ATLASCLOUD_INFO, targets: ATLASCLOUD_TARGETS },
  comfyui: { info: COMFYUI_INFO, targets: COMFYUI_TARGETS },
};

export const PROVIDERS = Object.fromEntries(PROVIDER_IDS.map((id) => [id, VENDORS[id].info])) as Record<ProviderId, ProviderInfo>;

export const OFFLINE_TARGET_ID = 'offline:engine-v1';

/** In PROVIDER_IDS order: the engine first, then the vendors. */
export const CATALOG: CatalogTarget[] = PROVIDER_IDS.flatMap((id) => VENDORS[id].targets);

export function findTarget(id: string): CatalogTarget | undefined {
  return CATALOG.find((t) => t.id === id);
}

/** Parses "1024x768" into numbers; undefined for "auto". */
export function parseSize(size: string): { width: number; height: number } | undefined {
  const m = /^(\d{2,5})x(\d{2,5})$/.exec(size);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : undefined;
}
