import { getContext } from '@/lib/server/context';
import { loadStudio } from '@/lib/server/services/studio';
import { ApplyFork } from './apply-fork';

/**
 * `?fork=<variation>` on a session view ("Fork from here" on a provenance page): that output
 * becomes reference 1. Pages read it because the session layout cannot see the query string.
 */
export async function ForkIntake({ sessionId, variationId }: { sessionId: string; variationId: string | undefined }) {
  if (!variationId) return null;
  const fork = (await loadStudio(await getContext(), sessionId, variationId))?.fork;
  return fork ? <ApplyFork fork={fork} /> : null;
}
