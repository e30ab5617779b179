import 'server-only';
import { PROVIDERS } from '@/lib/providers/catalog';
import type { ProviderId } from '@/lib/providers/target-kit';
import { db } from '../db/client';
import { env } from '../env';
import { notifyVariationsChanged } from '../events/notify';
import { getAdapter } from '../providers/registry';
import { runsHere } from './active';
import { HOLDING, ownerIsDeadLocally } from './lease';
import { announceDue, recordDeadLetter } from './queue';

/**
 * Nothing stays "running" forever. A variation whose lease lapsed (or whose owner died), and
 * that this process is not running itself, is:
 * - queued again when nothing was sent yet, when the vendor's job id or its finished result
 *   was stored (it is polled or downloaded again, never resubmitted), or when re-running is
 *   free (the offline engine);
 * - otherwise failed as `interrupted`: submit() had started, so the vendor may have accepted
 *   (and billed) a job whose id we never stored. Resubmitting silently could bill twice; the
 *   user gets a retry button.
 * Each takeover is counted: a job that brings its server down every time it runs is failed
 * after WORKER_MAX_RECOVERIES, and the rest of the queue goes on.
 */
export async function recoverStale(now = new Date()): Promise<{ resumed: string[]; interrupted: string[] }> {
  const candidates = await db().variation.findMany({
    where: { status: { in: [...HOLDING] } },
    select: {
      id: true,
      provider: true,
      jobId: true,
      jobHandle: true,
      result: true,
      submittedAt: true,
      recoveries: true,
      leaseOwner: true,
      leaseToken: true,
      leaseUntil: true,
    },
  });
  const maxRecoveries = env().WORKER_MAX_RECOVERIES;
  const resumed: string[] = [];
  const interrupted: string[] = [];
  for (const v of candidates) {
    if (runsHere(v.id)) continue;
    const ownerDead = ownerIsDeadLocally(v.leaseOwner);
    const lapsed = !v.leaseUntil || v.leaseUntil < now;
    if (!lapsed && !ownerDead) continue;
    // Only the claim we looked at, and (unless its process is gone) only while still lapsed:
    // a live worker that renewed meanwhile keeps its job.
    const where = {
      id: v.id,
      leaseToken: v.leaseToken,
      status: { in: [...HOLDING] },
      ...(ownerDead ? {} : { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] }),
    };
    const vendor = PROVIDERS[v.provider as ProviderId]?.label ?? v.provider;
    const released = { leaseOwner: null, leaseToken: null, leaseUntil: null };
    const safeToQueue =
      v.submittedAt === null || v.jobHandle !== null || v.result !== null || getAdapter(v.provider as ProviderId)?.resumable === true;
    const fail = (errorMessage: string) =>
      db().variation.updateMany({
        where,
        data: { status: 'failed', errorCode: 'interrupted', errorMessage, finishedAt: now, ...released },
      });

    if (safeToQueue && v.recoveries + 1 >= maxRecoveries) {
      const { count } = await fail(
        `The server stopped ${v.recoveries + 1} times while working on this, so it was set aside to keep the queue going.${jobNote(vendor, v.jobId)}`,
      );
      if (count) interrupted.push(v.id);
    } else if (safeToQueue) {
      const { count } = await db().variation.updateMany({
        where,
        data: { status: 'queued', notBefore: null, recoveries: { increment: 1 }, ...released },
      });
      if (count) resumed.push(v.id);
    } else {
      const { count } = await fail(
        `The server stopped while this was being submitted to ${vendor}. It may have been accepted there, so it was not resubmitted automatically, to avoid paying twice.`,
      );
      if (count) interrupted.push(v.id);
    }
  }
  void notifyVariationsChanged([...resumed, ...interrupted]);
  if (resumed.length > 0) void announceDue();
  void recordDeadLetter(interrupted.map((variationId) => ({ variationId, errorCode: 'interrupted' })));
  return { resumed, interrupted };
}

function jobNote(vendor: string, jobId: string | null): string {
  return jobId ? ` ${vendor} job id: ${jobId}.` : '';
}
