import 'server-only';
import { CATALOG, PROVIDERS } from '@/lib/providers/catalog';
import type { StudioTarget } from '@/lib/schemas/studio';
import { ENGINE_VOCABULARY } from '../engine';
import { configuredProviders } from '../providers/registry';
import { getSession, listRuns, listSessions } from './sessions';

/** Everything the studio page needs, in one server round trip. No secrets: booleans only. */
export async function loadStudio(sessionId: string) {
  const session = await getSession(sessionId);
  if (!session) return undefined;
  const [sessions, firstPage] = await Promise.all([listSessions(), listRuns(sessionId)]);
  const configured = configuredProviders();
  const targets: StudioTarget[] = CATALOG.map((t) => ({
    ...t,
    providerLabel: PROVIDERS[t.provider].label,
    configured: configured[t.provider],
    envKey: PROVIDERS[t.provider].envKey,
  }));
  return { session, sessions, firstPage, targets, engineHelp: ENGINE_VOCABULARY.map((v) => v.example) };
}
