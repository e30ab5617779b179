import 'server-only';
import type { ProviderId } from '@/lib/providers/target-kit';
import { db } from '../db/client';
import { getAdapter } from '../providers/registry';
import { ownerIsDeadLocally } from './lease';

/**
 * Nothing stays "running" forever. A variation whose lease lapsed (or whose owner died) is:
 * - polled again if the vendor job id was stored (the job may well have finished);
 * - re-run if the target is resumable (the offline engine: free and deterministic);
 * - otherwise failed as `interrupted`: it may have been submitted without a stored id, and
 *   resubmitting silently could bill twice. The user gets a retry button.
 */
export async function recoverStale(now = new Date()): Promise<{ resumed: string[]; interrupted: string[] }> {
  const candidates = await db().variation.findMany({
    where: { status: { in: ['submitting', 'running'] } },
    select: { id: true, provider: true, jobHandle: true, leaseOwner: true, leaseUntil: true },
  });
  const resumed: string[] = [];
  const interrupted: string[] = [];
  for (const v of candidates) {
    const lapsed = !v.leaseUntil || v.leaseUntil < now || ownerIsDeadLocally(v.leaseOwner);
    if (!lapsed) continue;
    // Match on the owner we saw, so a live worker that renewed meanwhile keeps its job.
    const where = { id: v.id, leaseOwner: v.leaseOwner, status: { in: ['submitting', 'running'] } };
    const resumable = Boolean(v.jobHandle) || getAdapter(v.provider as ProviderId)?.resumable === true;
    if (resumable) {
      const { count } = await db().variation.updateMany({
        where,
        data: { status: 'queued', leaseOwner: null, leaseUntil: null, notBefore: null },
      });
      if (count) resumed.push(v.id);
    } else {
      const { count } = await db().variation.updateMany({
        where,
        data: {
          status: 'failed',
          errorCode: 'interrupted',
          errorMessage: 'The server stopped while this was being submitted. It was not resubmitted automatically, to avoid paying twice.',
          finishedAt: now,
          leaseOwner: null,
          leaseUntil: null,
        },
      });
      if (count) interrupted.push(v.id);
    }
  }
  return { resumed, interrupted };
}
