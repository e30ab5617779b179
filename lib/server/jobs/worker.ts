import 'server-only';
import type { ProviderId } from '@/lib/providers/target-kit';
import { db } from '../db/client';
import { env } from '../env';
import { concurrencyFor, targetConcurrencyFor } from '../providers/registry';
import { executeVariation } from './execute';
import { claim, leaseMs, renew } from './lease';
import { recoverStale } from './recover';

type WorkerState = {
  started: boolean;
  stopping: boolean;
  active: Map<string, { provider: string; abort: AbortController }>;
  wake?: () => void;
  loop?: Promise<void>;
};

const globalForWorker = globalThis as unknown as { proofsheetWorker?: WorkerState };
const state: WorkerState = (globalForWorker.proofsheetWorker ??= { started: false, stopping: false, active: new Map() });

const IDLE_MS = 1000;
const RECOVER_EVERY_MS = 5000;

/** Starts the in-process worker once (from instrumentation.ts). The queue itself lives in SQL. */
export function startWorker(): void {
  if (state.started || env().WORKER_ENABLED === '0') return;
  state.started = true;
  state.stopping = false;
  state.loop = runLoop();
}

/** Called after a submit so queued work starts now, not at the next idle tick. */
export function wakeWorker(): void {
  state.wake?.();
}

/** Aborts in-flight work and waits for the loop (tests, graceful shutdown). */
export async function stopWorker(): Promise<void> {
  state.stopping = true;
  for (const job of state.active.values()) job.abort.abort();
  state.wake?.();
  await state.loop;
  state.started = false;
}

async function runLoop(): Promise<void> {
  let lastRecover = 0;
  while (!state.stopping) {
    try {
      if (Date.now() - lastRecover > RECOVER_EVERY_MS) {
        lastRecover = Date.now();
        await recoverStale();
      }
      await fillSlots();
    } catch (e) {
      console.error('[worker] tick failed:', e instanceof Error ? e.message : e);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, IDLE_MS);
      state.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
  await Promise.allSettled([...state.active.keys()].map((id) => waitFor(id)));
}

/**
 * Claims queued variations up to each provider's and each target's concurrency limit, counted
 * in SQL across every server sharing the database (live leases only).
 */
async function fillSlots(): Promise<void> {
  const now = new Date();
  const queued = await db().variation.findMany({
    where: { status: 'queued', OR: [{ notBefore: null }, { notBefore: { lte: now } }] },
    orderBy: [{ queuedAt: 'asc' }, { index: 'asc' }],
    select: { id: true, provider: true, targetId: true },
    take: 50,
  });
  if (queued.length === 0) return;
  const busy = await db().variation.groupBy({
    by: ['provider', 'targetId'],
    where: { status: { in: ['submitting', 'running'] }, leaseUntil: { gt: now } },
    _count: { _all: true },
  });
  const perProvider = new Map<string, number>();
  const perTarget = new Map<string, number>();
  for (const b of busy) {
    perProvider.set(b.provider, (perProvider.get(b.provider) ?? 0) + b._count._all);
    perTarget.set(b.targetId, b._count._all);
  }
  for (const v of queued) {
    const provider = v.provider as ProviderId;
    const usedProvider = perProvider.get(v.provider) ?? 0;
    const usedTarget = perTarget.get(v.targetId) ?? 0;
    if (usedProvider >= concurrencyFor(provider) || usedTarget >= targetConcurrencyFor(provider)) continue;
    if (!(await claim(v.id))) continue;
    perProvider.set(v.provider, usedProvider + 1);
    perTarget.set(v.targetId, usedTarget + 1);
    launch(v.id, v.provider);
  }
}

const done = new Map<string, Promise<void>>();

function launch(id: string, provider: string): void {
  const abort = new AbortController();
  state.active.set(id, { provider, abort });
  // Renew the lease while working; losing it (cancel, recovery elsewhere) aborts the work.
  const renewer = setInterval(async () => {
    if (!(await renew(id).catch(() => true))) abort.abort();
  }, Math.max(1000, Math.floor(leaseMs() / 3)));
  const p = executeVariation(id, abort.signal)
    .catch((e) => console.error('[worker] variation failed unexpectedly:', e instanceof Error ? e.message : e))
    .finally(() => {
      clearInterval(renewer);
      state.active.delete(id);
      done.delete(id);
      // A slot freed up: look for more work now.
      state.wake?.();
    });
  done.set(id, p);
}

function waitFor(id: string): Promise<void> {
  return done.get(id) ?? Promise.resolve();
}

/** Aborts a variation running in this process (user cancel). */
export function abortLocal(id: string): void {
  state.active.get(id)?.abort.abort();
}
