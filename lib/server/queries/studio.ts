import 'server-only';
import { CATALOG, PROVIDERS } from '@/lib/providers/catalog';
import type { StudioTarget } from '@/lib/schemas/studio';
import { db } from '../db/client';
import { ENGINE_VOCABULARY } from '../engine';
import { listSessions } from '../history/sessions';
import { configuredProviders } from '../providers/registry';
import { getSession, listRuns } from './sessions';
import { assetDto } from './to-dto';

/** Everything the studio page needs, in one server round trip. No secrets: booleans only. */
export async function loadStudio(sessionId: string, forkVariationId?: string) {
  const session = await getSession(sessionId);
  if (!session) return undefined;
  const [sessions, firstPage, fork] = await Promise.all([listSessions({}), listRuns(sessionId), loadFork(forkVariationId)]);
  const configured = configuredProviders();
  const targets: StudioTarget[] = CATALOG.map((t) => ({
    ...t,
    providerLabel: PROVIDERS[t.provider].label,
    configured: configured[t.provider],
    envKey: PROVIDERS[t.provider].envKey,
  }));
  return { session, sessions, firstPage, targets, fork, engineHelp: ENGINE_VOCABULARY.map((v) => v.example) };
}

/** "Fork from here": the variation whose output becomes the next run's first reference. */
async function loadFork(variationId: string | undefined) {
  if (!variationId) return null;
  const v = await db().variation.findFirst({
    where: { id: variationId, deletedAt: null, outputAssetId: { not: null } },
    include: { outputAsset: true, run: { select: { number: true } } },
  });
  if (!v?.outputAsset) return null;
  return { variationId: v.id, asset: assetDto(v.outputAsset), name: `run-${v.run.number}-variation-${v.index + 1}-seed-${v.seed}` };
}
