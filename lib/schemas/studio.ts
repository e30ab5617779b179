import type { CatalogTarget } from '@/lib/providers/target-kit';

/** A catalog target as the studio shows it: whether it can run here, and what to add if not. */
export type StudioTarget = CatalogTarget & { providerLabel: string; configured: boolean; envKey: string | null };
