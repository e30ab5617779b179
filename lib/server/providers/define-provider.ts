import 'server-only';
import type { ProviderId } from '@/lib/providers/target-kit';
import type { ProviderAdapter } from './types';

/** One vendor as the registry sees it. Each vendor folder's config.ts exports one. */
export type ProviderModule = {
  readonly id: ProviderId;
  /** Reads the vendor's settings from env() and builds its adapter; the registry keeps the result. */
  create(): ProviderAdapter;
  /** How many variations of this vendor run at once (vendors queue or answer 429 beyond their limit). */
  concurrency(): number;
};

/** Most accounts take a handful of parallel jobs; vendors with a documented lower limit say so. */
const DEFAULT_CONCURRENCY = 4;

export function defineProvider(spec: {
  id: ProviderId;
  create: () => ProviderAdapter;
  concurrency?: number | (() => number);
}): ProviderModule {
  const { concurrency = DEFAULT_CONCURRENCY } = spec;
  return { id: spec.id, create: spec.create, concurrency: typeof concurrency === 'function' ? concurrency : () => concurrency };
}
