import 'server-only';
import { z } from 'zod';
import type { ProviderId } from '@/lib/providers/target-kit';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { AppError } from '../errors';
import { notifyVariationsChanged } from '../events/notify';
import type { Prisma } from '../generated/prisma/client';
import { abortLocal } from '../jobs/worker';
import { getAdapter } from '../providers/registry';
import { inWorkspace } from './scope';

export const cancelSchema = z.object({ variationIds: z.array(z.string().min(1).max(64)).min(1).max(100) });

const UNFINISHED = ['queued', 'submitting', 'running'];

/** Stops variations the user picked; finished ones cannot be cancelled. */
export async function cancelVariations(ctx: Ctx, input: z.output<typeof cancelSchema>): Promise<{ count: number }> {
  const count = await cancelUnfinished({ AND: [{ id: { in: input.variationIds } }, inWorkspace.variation(ctx)] }, 'Cancelled by you.');
  if (count === 0) throw new AppError('conflict', 'Those variations have already finished.');
  return { count };
}

/**
 * Stops every unfinished variation matching `where` (a cancel, or the delete of a variation,
 * run or session). The rows are marked cancelled first and their claim token cleared, so a
 * worker still holding one loses it: no later write of it lands, and a job id it receives
 * after this is cancelled at the vendor by the worker itself. Work running in this process
 * stops at once; then each vendor job whose id is stored is cancelled where the vendor allows
 * it, so nothing deleted keeps billing.
 */
export async function cancelUnfinished(where: Prisma.VariationWhereInput, message: string): Promise<number> {
  const rows = await db().variation.findMany({ where: { AND: [where, { status: { in: UNFINISHED } }] }, select: { id: true } });
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.id);
  const { count } = await db().variation.updateMany({
    where: { id: { in: ids }, status: { in: UNFINISHED } },
    data: {
      status: 'cancelled',
      errorCode: 'cancelled',
      errorMessage: message,
      finishedAt: new Date(),
      leaseOwner: null,
      leaseToken: null,
      leaseUntil: null,
    },
  });
  for (const id of ids) abortLocal(id);
  void notifyVariationsChanged(ids);
  // Read after the update: a job id stored in between is in the row now.
  const withJobs = await db().variation.findMany({
    where: { id: { in: ids }, status: 'cancelled', jobHandle: { not: null } },
    select: { provider: true, jobHandle: true },
  });
  await Promise.all(
    withJobs.map(async (r) => {
      const adapter = getAdapter(r.provider as ProviderId);
      if (!r.jobHandle || !adapter?.cancel) return;
      // Best effort: the variation is cancelled for us either way; the vendor may refuse late.
      await adapter.cancel(r.jobHandle, { signal: AbortSignal.timeout(15_000) }).catch(() => {});
    }),
  );
  return count;
}
