import 'server-only';
import { z } from 'zod';
import type { ProviderId } from '@/lib/providers/target-kit';
import { fail, type ActionResult } from '@/lib/schemas/result';
import { db } from '../db/client';
import { getAdapter } from '../providers/registry';

const cancelSchema = z.object({ variationIds: z.array(z.string().min(1).max(64)).min(1).max(100) });

/**
 * Stops variations that have not finished. The row is marked cancelled first (so a worker that
 * still holds the lease loses it and stops writing), then the vendor is asked to cancel where
 * it supports that, so a stuck job stops billing.
 */
export async function cancelVariations(raw: unknown): Promise<ActionResult<{ count: number }>> {
  const parsed = cancelSchema.safeParse(raw);
  if (!parsed.success) return fail('invalid_input', 'Cancel what?');
  const rows = await db().variation.findMany({
    where: { id: { in: parsed.data.variationIds }, status: { in: ['queued', 'submitting', 'running'] } },
    select: { id: true, provider: true, jobHandle: true },
  });
  if (rows.length === 0) return fail('conflict', 'Those variations have already finished.');
  const { count } = await db().variation.updateMany({
    where: { id: { in: rows.map((r) => r.id) }, status: { in: ['queued', 'submitting', 'running'] } },
    data: { status: 'cancelled', errorCode: 'cancelled', errorMessage: 'Cancelled by you.', finishedAt: new Date(), leaseOwner: null, leaseUntil: null },
  });
  await Promise.all(
    rows.map(async (r) => {
      const adapter = getAdapter(r.provider as ProviderId);
      if (!r.jobHandle || !adapter?.cancel) return;
      // Best effort: the variation is cancelled for us either way; the vendor may refuse late.
      await adapter.cancel(r.jobHandle, { signal: AbortSignal.timeout(15_000) }).catch(() => {});
    }),
  );
  return { ok: true, data: { count } };
}
