import 'server-only';
import { PROVIDER_IDS, type ProviderId } from '@/lib/providers/target-kit';
import { env } from '../env';
import { createComfyuiAdapter } from './comfyui/adapter';
import { createDashScopeAdapter } from './dashscope/adapter';
import { createFalAdapter } from './fal/adapter';
import { createKieAdapter } from './kie/adapter';
import { createModelsLabAdapter } from './modelslab/adapter';
import { createOfflineAdapter } from './offline/adapter';
import { createOpenAIAdapter } from './openai/adapter';
import { createReplicateAdapter } from './replicate/adapter';
import { REPLICATE_DEFAULT_BASE_URL } from './replicate/wire';
import { createStabilityAdapter } from './stability/adapter';
import { createTogetherAdapter } from './together/adapter';
import { TOGETHER_DEFAULT_BASE_URL } from './together/wire';
import { createWaveSpeedAdapter } from './wavespeed/adapter';
import type { ProviderAdapter } from './types';

type Factory = () => ProviderAdapter;

/**
 * Builds each adapter from the environment. This is the only place keys leave env():
 * straight into the adapter that sends them, never into a return value for the client.
 */
const factories: Record<ProviderId, Factory> = {
  offline: () => createOfflineAdapter({ delayMs: env().ENGINE_DELAY_MS }),
  wavespeed: () => createWaveSpeedAdapter({ apiKey: env().WAVESPEED_API_KEY, baseUrl: env().WAVESPEED_BASE_URL ?? 'https://api.wavespeed.ai' }),
  // An empty base URL lets the adapter pick the regional host from DASHSCOPE_REGION.
  dashscope: () =>
    createDashScopeAdapter({ apiKey: env().DASHSCOPE_API_KEY, baseUrl: env().DASHSCOPE_BASE_URL ?? '', options: { region: env().DASHSCOPE_REGION } }),
  kie: () =>
    createKieAdapter({ apiKey: env().KIE_API_KEY, baseUrl: env().KIE_BASE_URL ?? 'https://api.kie.ai', options: { uploadBaseUrl: env().KIE_UPLOAD_BASE_URL } }),
  modelslab: () =>
    createModelsLabAdapter({
      apiKey: env().MODELSLAB_API_KEY,
      baseUrl: env().MODELSLAB_BASE_URL ?? 'https://modelslab.com/api',
      options: { editPath: env().MODELSLAB_EDIT_PATH, modelId: env().MODELSLAB_MODEL_ID },
    }),
  together: () =>
    createTogetherAdapter({
      apiKey: env().TOGETHER_API_KEY,
      baseUrl: env().TOGETHER_BASE_URL ?? TOGETHER_DEFAULT_BASE_URL,
      options: { responseFormat: env().TOGETHER_RESPONSE_FORMAT, imageTransport: env().TOGETHER_IMAGE_TRANSPORT },
    }),
  replicate: () =>
    createReplicateAdapter({
      apiKey: env().REPLICATE_API_TOKEN,
      baseUrl: env().REPLICATE_BASE_URL ?? REPLICATE_DEFAULT_BASE_URL,
      options: { waitSeconds: String(env().REPLICATE_WAIT_SECONDS) },
    }),
  fal: () =>
    createFalAdapter({
      apiKey: env().FAL_KEY,
      baseUrl: env().FAL_QUEUE_BASE_URL ?? 'https://queue.fal.run',
      options: { storageBaseUrl: env().FAL_STORAGE_BASE_URL },
    }),
  openai: () =>
    createOpenAIAdapter({
      apiKey: env().OPENAI_API_KEY,
      baseUrl: env().OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
      options: { moderation: env().OPENAI_MODERATION, quality: env().OPENAI_QUALITY },
    }),
  stability: () => createStabilityAdapter({ apiKey: env().STABILITY_API_KEY, baseUrl: env().STABILITY_BASE_URL ?? 'https://api.stability.ai' }),
  comfyui: () =>
    createComfyuiAdapter({ apiKey: env().COMFYUI_API_KEY, baseUrl: env().COMFYUI_BASE_URL ?? '', options: { workflow: env().COMFYUI_WORKFLOW } }),
};

const cache = new Map<ProviderId, ProviderAdapter>();

export function getAdapter(id: ProviderId): ProviderAdapter | undefined {
  const hit = cache.get(id);
  if (hit) return hit;
  const make = factories[id];
  if (!make) return undefined;
  const adapter = make();
  cache.set(id, adapter);
  return adapter;
}

/** Which providers have what they need to run; booleans only, safe to send to the browser. */
export function configuredProviders(): Record<ProviderId, boolean> {
  const out = {} as Record<ProviderId, boolean>;
  for (const id of PROVIDER_IDS) out[id] = getAdapter(id)?.configured() ?? false;
  return out;
}

/** How many variations of one provider run at once (vendors queue or 429 beyond this). */
export function concurrencyFor(id: ProviderId): number {
  if (id === 'offline') return Math.max(1, env().WORKER_CONCURRENCY);
  if (id === 'wavespeed' || id === 'dashscope') return 2; // documented default-tier concurrency
  return 4;
}

/**
 * How many variations of one target (provider + model) run at once, within its provider's
 * limit (WORKER_TARGET_CONCURRENCY): keeps one model from taking every slot of an account.
 */
export function targetConcurrencyFor(id: ProviderId): number {
  return Math.min(concurrencyFor(id), env().WORKER_TARGET_CONCURRENCY);
}

/** For tests that change the environment. */
export function resetAdapters(): void {
  cache.clear();
}

/** Tests swap an adapter for a scripted one; production code never calls this. */
export function overrideAdapterForTests(id: ProviderId, adapter: ProviderAdapter | undefined): void {
  if (adapter) cache.set(id, adapter);
  else cache.delete(id);
}
