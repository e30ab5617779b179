import 'server-only';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ProviderId } from '@/lib/providers/target-kit';
import { db } from '../db/client';
import { dialect } from '../db/dialect';
import { env } from '../env';
import { notifyVariationChanged } from '../events/notify';
import { concurrencyFor, targetConcurrencyFor } from '../providers/registry';

const globalForOwner = globalThis as unknown as { proofsheetWorkerOwner?: string };

/**
 * This process's name in `leaseOwner`: host:pid:nonce. The pid lets a restarted server on the
 * same host tell at once that a lease belongs to a dead process instead of waiting for it to
 * lapse. Ownership of a row is the claim's random `leaseToken`, not this.
 */
function workerOwner(): string {
  globalForOwner.proofsheetWorkerOwner ??= env().WORKER_ID ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  return globalForOwner.proofsheetWorkerOwner;
}

export function leaseMs(): number {
  return env().WORKER_LEASE_MS;
}

/** Statuses that hold a vendor slot while their lease is live. */
export const HOLDING = ['submitting', 'running'] as const;

/** First key of the Postgres advisory locks claims take (the second is the provider's hash). */
export const CLAIM_LOCK_SPACE = 720_141;

/**
 * Takes a queued variation with one conditional UPDATE: it matches only while the row is still
 * queued and due, nothing it belongs to is deleted, and fewer than the limit of its provider and
 * of its target hold live leases, counted inside the same statement. A row queued again by
 * recovery with a vendor job id and no result still has a job running at the vendor (its worker
 * died, the job did not): it keeps its slot until it is claimed again and polled, so a fresh
 * submit never makes the vendor see one job more than its limit (the multi-process test's
 * kill -9 showed exactly that). SQLite runs a write
 * statement alone, so two servers sharing the database can never both take the last slot;
 * Postgres needs a lock for that (below).
 * Returns the claim's token (every later write must match it), or null.
 */
export async function claim(variationId: string, provider: string, owner = workerOwner()): Promise<string | null> {
  const now = new Date();
  const until = new Date(now.getTime() + leaseMs());
  const token = randomBytes(12).toString('base64url');
  const providerLimit = concurrencyFor(provider as ProviderId);
  const targetLimit = targetConcurrencyFor(provider as ProviderId);
  const update = db().$executeRaw`
    UPDATE "Variation"
    SET "status" = 'submitting', "leaseOwner" = ${owner}, "leaseToken" = ${token}, "leaseUntil" = ${until},
        "startedAt" = COALESCE("startedAt", ${now})
    WHERE "id" = ${variationId} AND "status" = 'queued' AND "deletedAt" IS NULL
      AND ("notBefore" IS NULL OR "notBefore" <= ${now})
      AND EXISTS (
        SELECT 1 FROM "Run" r JOIN "Session" s ON s."id" = r."sessionId"
        WHERE r."id" = "Variation"."runId" AND r."deletedAt" IS NULL AND s."deletedAt" IS NULL)
      AND (SELECT count(*) FROM "Variation" b
           WHERE b."provider" = "Variation"."provider" AND b."id" <> "Variation"."id" AND (
             (b."status" IN ('submitting', 'running') AND b."leaseUntil" > ${now})
             OR (b."status" = 'queued' AND b."jobHandle" IS NOT NULL AND b."result" IS NULL AND b."deletedAt" IS NULL))) < ${providerLimit}
      AND (SELECT count(*) FROM "Variation" b
           WHERE b."targetId" = "Variation"."targetId" AND b."id" <> "Variation"."id" AND (
             (b."status" IN ('submitting', 'running') AND b."leaseUntil" > ${now})
             OR (b."status" = 'queued' AND b."jobHandle" IS NOT NULL AND b."result" IS NULL AND b."deletedAt" IS NULL))) < ${targetLimit}`;
  let count: number;
  if (dialect() === 'sqlite') count = await update;
  else {
    // Postgres runs statements side by side, and under READ COMMITTED two claims of the last
    // slot would each count the other's row as free. The claims of one provider take turns on
    // a transaction-scoped advisory lock (targets belong to one provider, so both limits are
    // covered): a batch transaction takes it, then runs the UPDATE, a statement of its own that
    // sees every claim committed before the lock was granted. (A batch, not an interactive
    // transaction: none of our code runs while the lock is held.)
    const lock = db().$executeRaw`SELECT pg_advisory_xact_lock(${CLAIM_LOCK_SPACE}, hashtext(${provider}))`;
    [, count] = await db().$transaction([lock, update]);
  }
  if (count === 1) void notifyVariationChanged(variationId);
  return count === 1 ? token : null;
}

/** Extends our lease; false means the claim is gone (cancelled, deleted, or recovered elsewhere). */
export async function renew(variationId: string, token: string): Promise<boolean> {
  const { count } = await db().variation.updateMany({
    where: { id: variationId, leaseToken: token, status: { in: [...HOLDING] } },
    data: { leaseUntil: new Date(Date.now() + leaseMs()) },
  });
  return count === 1;
}

/** `recoveries` > 0: taken back after its server stopped, perhaps because of this very job. */
export type Candidate = { id: string; provider: string; targetId: string; recoveries: number };

/**
 * Due queued variations, the oldest few of each target, oldest first: a vendor whose slots are
 * all busy (or a long queue for one model) never hides another's work behind it.
 */
export async function dueCandidates(perTarget: number, now = new Date()): Promise<Candidate[]> {
  const rows = await db().$queryRaw<Candidate[]>`
    SELECT "id", "provider", "targetId", "recoveries" FROM (
      SELECT v."id", v."provider", v."targetId", v."recoveries", v."queuedAt", v."index",
             ROW_NUMBER() OVER (PARTITION BY v."targetId" ORDER BY v."queuedAt", v."index", v."id") AS "rn"
      FROM "Variation" v
      JOIN "Run" r ON r."id" = v."runId"
      JOIN "Session" s ON s."id" = r."sessionId"
      WHERE v."status" = 'queued' AND v."deletedAt" IS NULL AND r."deletedAt" IS NULL AND s."deletedAt" IS NULL
        AND (v."notBefore" IS NULL OR v."notBefore" <= ${now})) AS "due"
    WHERE "rn" <= ${perTarget}
    ORDER BY "queuedAt", "index", "id"
    LIMIT 1000`;
  return rows.map((r) => ({ ...r, recoveries: Number(r.recoveries) }));
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
