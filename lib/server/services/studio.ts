import 'server-only';
import { CATALOG, PROVIDERS } from '@/lib/providers/catalog';
import type { StudioTarget } from '@/lib/schemas/studio';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { ENGINE_VOCABULARY } from '../engine';
import { withCurrentPrices } from '../ledger/prices';
import { configuredProviders } from '../providers/registry';
import { getDraft } from './drafts';
import { assetDto } from './dto';
import { inWorkspace } from './scope';
import { getSession } from './sessions';

/**
 * What the session layout needs around every view: the session, the composer's targets and draft,
 * and a fork to apply. No secrets: booleans only. The views read their own data (the run feed's
 * first page, the grid, the lineage), and the sessions sidebar is read by its own layout, so
 * nothing here is read twice or sent unused.
 */
export async function loadStudio(ctx: Ctx, sessionId: string, forkVariationId?: string) {
  const session = await getSession(ctx, sessionId);
  if (!session) return undefined;
  const [fork, draft] = await Promise.all([loadFork(ctx, forkVariationId), getDraft(ctx, sessionId)]);
  const configured = configuredProviders();
  // Prices as edited on the providers page, so the picker agrees with the estimate.
  const targets: StudioTarget[] = (await withCurrentPrices(CATALOG)).map((t) => ({
    ...t,
    providerLabel: PROVIDERS[t.provider].label,
    configured: configured[t.provider],
    envKey: PROVIDERS[t.provider].envKey,
  }));
  return { session, targets, fork, draft, engineHelp: ENGINE_VOCABULARY.map((v) => v.example) };
}

/** "Fork from here": the variation whose output becomes the next run's first reference. */
async function loadFork(ctx: Ctx, variationId: string | undefined) {
  if (!variationId) return null;
  const v = await db().variation.findFirst({
    where: { id: variationId, deletedAt: null, outputAssetId: { not: null }, ...inWorkspace.variation(ctx) },
    include: { outputAsset: true, run: { select: { number: true } } },
  });
  if (!v?.outputAsset) return null;
  return { variationId: v.id, asset: assetDto(v.outputAsset), name: `run-${v.run.number}-variation-${v.index + 1}-seed-${v.seed}` };
}
