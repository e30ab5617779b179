import 'server-only';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { db } from '../db/client';
import { env } from '../env';

const globalForOwner = globalThis as unknown as { proofsheetWorkerOwner?: string };

/**
 * This process's lease owner id: host:pid:nonce. The pid lets a restarted server on the same
 * host tell at once that a lease belongs to a dead process instead of waiting for it to lapse.
 */
export function workerOwner(): string {
  globalForOwner.proofsheetWorkerOwner ??= env().WORKER_ID ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  return globalForOwner.proofsheetWorkerOwner;
}

export function leaseMs(): number {
  return env().WORKER_LEASE_MS;
}

/**
 * Atomically takes a queued variation: one UPDATE that only matches while it is still queued
 * (and due), stamping the first start time. Raw SQL so it stays a single statement.
 */
export async function claim(variationId: string, owner = workerOwner()): Promise<boolean> {
  const now = new Date();
  const until = new Date(now.getTime() + leaseMs());
  const count = await db().$executeRaw`
    UPDATE "Variation"
    SET "status" = 'submitting', "leaseOwner" = ${owner}, "leaseUntil" = ${until}, "startedAt" = COALESCE("startedAt", ${now})
    WHERE "id" = ${variationId} AND "status" = 'queued' AND ("notBefore" IS NULL OR "notBefore" <= ${now})`;
  return count === 1;
}

/** Extends our lease; false means it was taken from us (cancelled, or recovered elsewhere). */
export async function renew(variationId: string, owner = workerOwner()): Promise<boolean> {
  const { count } = await db().variation.updateMany({
    where: { id: variationId, leaseOwner: owner, status: { in: ['submitting', 'running'] } },
    data: { leaseUntil: new Date(Date.now() + leaseMs()) },
  });
  return count === 1;
}

/** A lease held by a process on this host that no longer exists is dead now, not in 30 s. */
export function ownerIsDeadLocally(owner: string | null): boolean {
  if (!owner) return true;
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !pid || owner === workerOwner()) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
