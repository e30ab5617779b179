import 'server-only';
import { db } from '../db/client';
import { dialect } from '../db/dialect';

/**
 * Serialises, per workspace, the step from "check the run's estimate against the budgets" to
 * "the run's variations are written" (submitRun, retryVariation). Without it two runs submitted
 * in the same instant both see the same committed sum and together cross the limit.
 *
 * Why a lock in the process and not one SQL statement: the check reads two sums (month and
 * session) and the write is a batch of creates; folding the check into a conditional
 * INSERT … SELECT would have to repeat the budget rules in SQL for every row, and an
 * interactive transaction is ruled out on the one shared SQLite connection (hardening Q4). The
 * SQLite deployment is one server process (the worker runs in it too), so a lock here covers
 * every writer. On PostgreSQL several web servers and workers write, so the section also holds
 * a transaction-scoped advisory lock per workspace (advisoryBudgetLock, below).
 *
 * Kept on globalThis so every bundle of the server (actions, routes, the worker) shares it.
 */
const g = globalThis as unknown as { proofsheetBudgetLocks?: Map<string, Promise<unknown>> };

export async function withBudgetLock<T>(workspaceId: string, fn: () => Promise<T>): Promise<T> {
  g.proofsheetBudgetLocks ??= new Map();
  const locks = g.proofsheetBudgetLocks;
  const before = locks.get(workspaceId) ?? Promise.resolve();
  // `before` never rejects (it is a tail below): a failure is its caller's, not the queue's.
  const mine = before.then(() => (dialect() === 'postgres' ? advisoryBudgetLock(workspaceId, fn) : fn()));
  const tail = mine.then(
    () => undefined,
    () => undefined,
  );
  locks.set(workspaceId, tail);
  try {
    return await mine;
  } finally {
    // Forget the workspace when no one queued behind us (the map does not grow per workspace ever seen).
    if (locks.get(workspaceId) === tail) locks.delete(workspaceId);
  }
}

/** First key of the budget's advisory locks (the second is the workspace's hash); lease.ts uses 720_141. */
export const BUDGET_LOCK_SPACE = 720_142;
/**
 * Sections of this process inside advisoryBudgetLock at once, over all workspaces. Each holds a
 * pooled connection idle (its transaction) while `fn` queries on others, so an unbounded number
 * could take the whole pool and leave no connection for their own queries.
 */
const MAX_HOLDERS = 2;
const gh = globalThis as unknown as { proofsheetBudgetHolders?: { active: number; waiting: (() => void)[] } };

/**
 * Runs `fn` while holding `pg_advisory_xact_lock(BUDGET_LOCK_SPACE, hashtext(workspaceId))`,
 * which every process's submits and retries of the workspace take in turn. Unlike the claim's
 * lock (lease.ts), this cannot be a batch transaction: the budget check is our code, reading
 * after the lock is granted, and the run's rows must be committed before it is released. So an
 * interactive transaction holds the lock while `fn` runs its reads and its own batch write on
 * other connections; those commit before `fn` resolves, then the lock's transaction ends, so the
 * next holder's check sees them. The lock's transaction writes nothing: if it failed after `fn`
 * (its generous timeout), the run stays created and the error says so to the caller, who sees it
 * in the session. Exported for the test that two connections take turns.
 */
export async function advisoryBudgetLock<T>(workspaceId: string, fn: () => Promise<T>): Promise<T> {
  gh.proofsheetBudgetHolders ??= { active: 0, waiting: [] };
  const holders = gh.proofsheetBudgetHolders;
  if (holders.active >= MAX_HOLDERS) await new Promise<void>((resolve) => holders.waiting.push(resolve));
  else holders.active++;
  try {
    return await db().$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BUDGET_LOCK_SPACE}, hashtext(${workspaceId}))`;
        return fn();
      },
      // Waiting for a pooled connection and for another process's section; then the section.
      { maxWait: 15_000, timeout: 120_000 },
    );
  } finally {
    // Hand the slot to the next waiter as is (active unchanged), or free it.
    const next = holders.waiting.shift();
    if (next) next();
    else holders.active--;
  }
}
