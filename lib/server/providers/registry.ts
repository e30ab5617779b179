import 'server-only';
import { PROVIDER_IDS, type ProviderId } from '@/lib/providers/target-kit';
import { env } from '../env';
import { atlascloudProvider } from './atlascloud/config';
import { comfyuiProvider } from './comfyui/config';
import { dashscopeProvider } from './dashscope/config';
import type { ProviderModule } from './define-provider';
import { falProvider } from './fal/config';
import { kieProvider } from './kie/config';
import { modelslabProvider } from './modelslab/config';
import { offlineProvider } from './offline/config';
import { openaiProvider } from './openai/config';
import { replicateProvider } from './replicate/config';
import { stabilityProvider } from './stability/config';
import { togetherProvider } from './together/config';
import { wavespeedProvider } from './wavespeed/config';
import type { ProviderAdapter } from './types';

/**
 * Every provider, one line each; the Record type makes a missing line a type error. Each
 * vendor's config.ts reads its own keys from env() straight into the adapter that sends them,
 * never into a return value for the client.
 */
const PROVIDER_MODULES: Record<ProviderId, ProviderModule> = {
  offline: offlineProvider,
  wavespeed: wavespeedProvider,
  dashscope: dashscopeProvider,
  kie: kieProvider,
  modelslab: modelslabProvider,
  together: togetherProvider,
  replicate: replicateProvider,
  fal: falProvider,
  openai: openaiProvider,
  stability: stabilityProvider,
  atlascloud: atlascloudProvider,
  comfyui: comfyuiProvider,
};

const cache = new Map<ProviderId, ProviderAdapter>();

export function getAdapter(id: ProviderId): ProviderAdapter | undefined {
  const hit = cache.get(id);
  if (hit) return hit;
  const provider: ProviderModule | undefined = PROVIDER_MODULES[id];
  if (!provider) return undefined;
  const adapter = provider.create();
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
  // A queued row of a provider since removed still gets a slot, so the worker can fail it as unknown.
  const provider: ProviderModule | undefined = PROVIDER_MODULES[id];
  return provider ? provider.concurrency() : 1;
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
