import 'server-only';
import { CATALOG, PROVIDERS, type CatalogTarget, type ProviderInfo } from '@/lib/providers/catalog';
import { configuredProviders } from '../providers/registry';

export type ProviderSettings = ProviderInfo & { configured: boolean; targets: CatalogTarget[] };

/** Booleans and catalog facts only: nothing here may carry a key or part of one. */
export function loadProviderSettings(): ProviderSettings[] {
  const configured = configuredProviders();
  return Object.values(PROVIDERS).map((p) => ({
    ...p,
    configured: configured[p.id],
    targets: CATALOG.filter((t) => t.provider === p.id),
  }));
}
