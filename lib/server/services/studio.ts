import 'server-only';
import { CATALOG, PROVIDERS } from '@/lib/providers/catalog';
import type { StudioTarget } from '@/lib/schemas/studio';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { ENGINE_VOCABULARY } from '../engine';
import { configuredProviders } from '../providers/registry';
import { getDraft } from './drafts';
import { assetDto } from './dto';
import { listRuns } from './runs';
import { inWorkspace } from './scope';
import { getSession, listSessions } from './sessions';

/** Everything the studio page needs, in one server round trip. No secrets: booleans only. */
export async function loadStudio(ctx: Ctx, sessionId: string, forkVariationId?: string) {
  const session = await getSession(ctx, sessionId);
  if (!session) return undefined;
  const [sessions, firstPage, fork, draft] = await Promise.all([
    listSessions(ctx, {}),
    listRuns(ctx, { sessionId }),
    loadFork(ctx, forkVariationId),
    getDraft(ctx, sessionId),
  ]);
  const configured = configuredProviders();
  const targets: StudioTarget[] = CATALOG.map((t) => ({
    ...t,
    providerLabel: PROVIDERS[t.provider].label,
    configured: configured[t.provider],
    envKey: PROVIDERS[t.provider].envKey,
  }));
  return { session, sessions, firstPage, targets, fork, draft, engineHelp: ENGINE_VOCABULARY.map((v) => v.example) };
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
