import 'server-only';
import { z } from 'zod';
import type { ProviderId } from '@/lib/providers/target-kit';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { AppError } from '../errors';
import { abortLocal } from '../jobs/worker';
import { getAdapter } from '../providers/registry';
import { inWorkspace } from './scope';

export const cancelSchema = z.object({ variationIds: z.array(z.string().min(1).max(64)).min(1).max(100) });

const UNFINISHED = ['queued', 'submitting', 'running'];

/**
 * Stops variations that have not finished. The row is marked cancelled first (so a worker that
 * still holds the lease loses it and stops writing), work running in this process is aborted at
 * once, then the vendor is asked to cancel where it supports that, so a stuck job stops billing.
 */
export async function cancelVariations(ctx: Ctx, input: z.output<typeof cancelSchema>): Promise<{ count: number }> {
  const rows = await db().variation.findMany({
    where: { id: { in: input.variationIds }, status: { in: UNFINISHED }, ...inWorkspace.variation(ctx) },
    select: { id: true, provider: true, jobHandle: true },
  });
  if (rows.length === 0) throw new AppError('conflict', 'Those variations have already finished.');
  const { count } = await db().variation.updateMany({
    where: { id: { in: rows.map((r) => r.id) }, status: { in: UNFINISHED } },
    data: { status: 'cancelled', errorCode: 'cancelled', errorMessage: 'Cancelled by you.', finishedAt: new Date(), leaseOwner: null, leaseUntil: null },
  });
  for (const r of rows) abortLocal(r.id);
  await Promise.all(
    rows.map(async (r) => {
      const adapter = getAdapter(r.provider as ProviderId);
      if (!r.jobHandle || !adapter?.cancel) return;
      // Best effort: the variation is cancelled for us either way; the vendor may refuse late.
      await adapter.cancel(r.jobHandle, { signal: AbortSignal.timeout(15_000) }).catch(() => {});
    }),
  );
  return { count };
}
