import 'server-only';

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
 * every writer. A multi-process database (PostgreSQL) needs the same section under
 * `pg_advisory_xact_lock(hash(workspaceId))` instead; this is the one place to change.
 *
 * Kept on globalThis so every bundle of the server (actions, routes, the worker) shares it.
 */
const g = globalThis as unknown as { proofsheetBudgetLocks?: Map<string, Promise<unknown>> };

export async function withBudgetLock<T>(workspaceId: string, fn: () => Promise<T>): Promise<T> {
  g.proofsheetBudgetLocks ??= new Map();
  const locks = g.proofsheetBudgetLocks;
  const before = locks.get(workspaceId) ?? Promise.resolve();
  // `before` never rejects (it is a tail below): a failure is its caller's, not the queue's.
  const mine = before.then(() => fn());
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
