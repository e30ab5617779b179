import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProviderId } from '@/lib/providers/target-kit';
import { db } from '../db/client';
import { env } from '../env';
import { concurrencyFor, getAdapter, targetConcurrencyFor } from '../providers/registry';
import { activeJobs, stopJob, type ActiveJob } from './active';
import { executeVariation, failStuck } from './execute';
import { claim, dueCandidates, HOLDING, leaseMs, renew } from './lease';
import { announceDue, consumeWakeups, stopQueue } from './queue';
import { recoverStale } from './recover';

type WorkerState = {
  started: boolean;
  stopping: boolean;
  /** SIGTERM received: no new claims; in-flight work finishes within WORKER_DRAIN_MS. */
  draining: boolean;
  signalsHooked: boolean;
  wake?: () => void;
  loop?: Promise<void>;
  done: Map<string, Promise<void>>;
};

const globalForWorker = globalThis as unknown as { proofsheetWorker?: WorkerState };
globalForWorker.proofsheetWorker ??= {
  started: false,
  stopping: false,
  draining: false,
  signalsHooked: false,
  done: new Map(),
};
const state: WorkerState = globalForWorker.proofsheetWorker;

const IDLE_MS = 1000;
/** On Postgres with pg-boss carrying the wake-ups (./queue.ts), the idle tick is a safety net only. */
const IDLE_WITH_QUEUE_MS = 5000;
let idleMs = IDLE_MS;
const RECOVER_EVERY_MS = 5000;

/** Starts the worker once per process (instrumentation.ts, scripts/worker.mts). The queue itself lives in SQL. */
export function startWorker(): void {
  if (state.started || env().WORKER_ENABLED === '0') return;
  state.started = true;
  state.stopping = false;
  state.draining = false;
  if (!state.signalsHooked) {
    state.signalsHooked = true;
    process.once('SIGTERM', onSigterm);
  }
  state.loop = runLoop();
  void consumeWakeups(() => state.wake?.()).then((ok) => {
    idleMs = ok ? IDLE_WITH_QUEUE_MS : IDLE_MS;
  });
}

/** For readiness and logs: whether this process runs the worker, is draining, and how much is in flight. */
export function workerStatus(): { enabled: boolean; draining: boolean; inFlight: number } {
  return { enabled: state.started, draining: state.draining, inFlight: activeJobs.size };
}

/**
 * Called after a submit so queued work starts now, not at the next idle tick: here, and on
 * Postgres in every worker process (a pg-boss wake-up, ./queue.ts).
 */
export function wakeWorker(): void {
  state.wake?.();
  void announceDue();
}

/** Ends the loop, then aborts in-flight work and waits for it (tests). */
export async function stopWorker(): Promise<void> {
  state.stopping = true;
  state.wake?.();
  // The loop ends first: a claim already on its way when we were called launches its job
  // before the loop returns, and must be in the sweep below, or nothing would ever abort it
  // (a stop would then wait for that job's watchdog, minutes away).
  await state.loop;
  for (const job of activeJobs.values()) stopJob(job, 'shutdown');
  await Promise.allSettled([...state.done.values()]);
  await stopQueue();
  state.started = false;
}

/**
 * Graceful stop: no new claims; work in flight keeps its leases (they are still renewed) until
 * it returns or `graceMs` ends, then it is stopped, its leases released, and it is left to
 * recovery (polled or downloaded again by another worker; never resubmitted).
 */
export async function drainWorker(graceMs = env().WORKER_DRAIN_MS): Promise<void> {
  state.draining = true;
  const deadline = Date.now() + graceMs;
  // The loop ends first, so no claim already on its way launches after the count below.
  state.stopping = true;
  state.wake?.();
  await state.loop;
  while (state.done.size > 0 && Date.now() < deadline) {
    await Promise.race([
      Promise.allSettled([...state.done.values()]),
      sleep(Math.max(0, deadline - Date.now()), undefined, { ref: false }),
    ]);
  }
  if (state.done.size > 0) {
    const stopped = [...activeJobs.entries()].map(([id, job]) => ({ id, leaseToken: job.token }));
    for (const job of activeJobs.values()) stopJob(job, 'shutdown');
    await Promise.race([Promise.allSettled([...state.done.values()]), sleep(2000, undefined, { ref: false })]);
    // Release the leases (lapse them now): another worker's recovery takes the work at its next
    // pass instead of after WORKER_LEASE_MS. Recovery, not us, decides (poll again, or fail as
    // interrupted when a submit may have been accepted without a stored id: never resubmitted).
    await Promise.all(
      stopped.map((mine) =>
        db()
          .variation.updateMany({ where: { ...mine, status: { in: [...HOLDING] } }, data: { leaseUntil: new Date(Date.now() - 1) } })
          .catch(() => {}),
      ),
    );
  }
  await stopQueue();
  state.started = false;
}

function onSigterm(): void {
  console.log('[worker] SIGTERM: finishing work in flight, taking no new work');
  void drainWorker().finally(() => {
    // Alone on the signal (scripts/worker.mts, or Next.js with NEXT_MANUAL_SIG_HANDLE=1) we end
    // the process; otherwise Next.js has its own listener and exits once its server has closed,
    // which may cut the drain short (recovery then picks the work up).
    if (process.listenerCount('SIGTERM') === 0) process.exit(143);
  });
}

async function runLoop(): Promise<void> {
  let lastRecover = 0;
  // A wake while a tick runs (a stop, a freed slot, a submit) is remembered, not lost on the
  // previous wait's spent timer: the loop then skips its idle wait instead of sleeping through.
  let woken = false;
  const remember = () => {
    woken = true;
  };
  state.wake = remember;
  while (!state.stopping) {
    try {
      if (Date.now() - lastRecover > RECOVER_EVERY_MS) {
        lastRecover = Date.now();
        await recoverStale();
      }
      if (!state.draining) await fillSlots();
    } catch (e) {
      console.error('[worker] tick failed:', e instanceof Error ? e.message : e);
    }
    if (woken || state.stopping) {
      woken = false;
      continue;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, idleMs);
      state.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    state.wake = remember;
  }
  // Unless a newer loop has set its own (a stale wake would be swallowed by this ended loop).
  if (state.wake === remember) state.wake = undefined;
}

/**
 * Claims due variations, the oldest few of every target, within this process's cap on work in
 * flight. The counts read here only skip claims that would fail anyway; the limits themselves
 * are enforced inside each claim's UPDATE, across every server sharing the database.
 */
async function fillSlots(): Promise<void> {
  const cap = env().WORKER_MAX_IN_FLIGHT;
  if (activeJobs.size >= cap) return;
  const now = new Date();
  const candidates = await dueCandidates(env().WORKER_TARGET_CONCURRENCY, now);
  if (candidates.length === 0) return;
  const busy = await db().variation.groupBy({
    by: ['provider', 'targetId'],
    where: { status: { in: [...HOLDING] }, leaseUntil: { gt: now } },
    _count: { _all: true },
  });
  const perProvider = new Map<string, number>();
  const perTarget = new Map<string, number>();
  for (const b of busy) {
    perProvider.set(b.provider, (perProvider.get(b.provider) ?? 0) + b._count._all);
    perTarget.set(b.targetId, b._count._all);
  }
  let suspectRunning = [...activeJobs.values()].some((j) => j.suspect);
  for (const v of candidates) {
    if (state.draining || state.stopping || activeJobs.size >= cap) return;
    // Recovered jobs run one at a time: if one of them brings the server down again, the others
    // were not in flight and are not counted against it (recover.ts fails a job after N crashes).
    if (v.recoveries > 0 && suspectRunning) continue;
    const provider = v.provider as ProviderId;
    const usedProvider = perProvider.get(v.provider) ?? 0;
    const usedTarget = perTarget.get(v.targetId) ?? 0;
    if (usedProvider >= concurrencyFor(provider) || usedTarget >= targetConcurrencyFor(provider)) continue;
    const token = await claim(v.id, v.provider);
    if (!token) continue;
    perProvider.set(v.provider, usedProvider + 1);
    perTarget.set(v.targetId, usedTarget + 1);
    if (v.recoveries > 0) suspectRunning = true;
    launch(v.id, v.provider, token, v.recoveries > 0);
  }
}

function launch(id: string, provider: string, token: string, suspect: boolean): void {
  const job: ActiveJob = { token, provider, suspect, soft: new AbortController(), hard: new AbortController() };
  activeJobs.set(id, job);
  // Renew the lease while working; a lost claim (cancel, delete, takeover) stops the work.
  const renewer = setInterval(
    async () => {
      if (!(await renew(id, token).catch(() => true))) stopJob(job, 'released');
    },
    Math.max(1000, Math.floor(leaseMs() / 3)),
  );
  // The watchdog over the whole execution: the vendor's deadline plus a grace for downloads,
  // Retry-After waits and a slow store. Past it the row fails and the slot is freed even if
  // something below never returns (its later writes no longer match the claim).
  const limitMs = (getAdapter(provider as ProviderId)?.deadlineMs ?? 600_000) + env().WORKER_WATCHDOG_GRACE_MS;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const watchdog = setTimeout(() => {
    console.error(`[worker] variation ${id} overran ${Math.round(limitMs / 1000)} s; stopping it`);
    stopJob(job, 'watchdog');
    void failStuck(id, token, limitMs)
      .catch((e) => console.error('[worker] watchdog could not fail the variation:', e instanceof Error ? e.message : e))
      .finally(finish);
  }, limitMs);
  void executeVariation(id, { token, soft: job.soft.signal, hard: job.hard.signal })
    .catch((e) => console.error('[worker] variation failed unexpectedly:', e instanceof Error ? e.message : e))
    .finally(finish);
  const done = finished.then(() => {
    clearInterval(renewer);
    clearTimeout(watchdog);
    if (activeJobs.get(id) === job) activeJobs.delete(id);
    state.done.delete(id);
    // A slot freed up: look for more work now.
    state.wake?.();
  });
  state.done.set(id, done);
}

/** Stops a variation running in this process (user cancel, delete); its claim is already gone. */
export function abortLocal(id: string): void {
  const job = activeJobs.get(id);
  if (job) stopJob(job, 'released');
}
