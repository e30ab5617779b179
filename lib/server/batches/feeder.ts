import 'server-only';
import { dialect } from '../db/dialect';
import { env } from '../env';
import { feedAllBatches } from '../services/batches';

const EVERY_MS = 1_000;

type State = { timer?: ReturnType<typeof setInterval>; running?: Promise<void>; gate?: () => boolean };
const globalForFeeder = globalThis as unknown as { proofsheetBatchFeeder?: State };
// On globalThis: dev reloads this module, and a second timer would feed every batch twice.
globalForFeeder.proofsheetBatchFeeder ??= {};
const state: State = globalForFeeder.proofsheetBatchFeeder;

/**
 * Started by ../jobs/housekeeping.ts (on PostgreSQL in the elected leader only): each second,
 * batches are reconciled and topped up to their in-flight cap.
 */
export function startBatchFeeder(): void {
  if (state.timer || env().WORKER_ENABLED === '0') return;
  state.timer = setInterval(() => void kickBatchFeeder(), EVERY_MS);
  state.timer.unref();
}

export function stopBatchFeeder(): Promise<void> {
  if (state.timer) clearInterval(state.timer);
  state.timer = undefined;
  return state.running ?? Promise.resolve();
}

/** Set by ../jobs/housekeeping.ts on PostgreSQL: whether this process leads (and so feeds). */
export function setFeedGate(gate: (() => boolean) | undefined): void {
  state.gate = gate;
}

/**
 * Whether this process feeds: on PostgreSQL only the elected leader does (several feeders would
 * each read a batch's in-flight count and overfill it); a process outside the election
 * (WORKER_ENABLED=0) leaves a kick to the leader's next tick, within a second. Tests and
 * scripts that call the feeder with no election running feed in place.
 */
function feedsHere(): boolean {
  if (state.gate) return state.gate();
  return dialect() !== 'postgres' || env().WORKER_ENABLED !== '0';
}

/** One pass now (a new batch, a resume, a retry); a call while a pass runs joins it. Never throws. */
export function kickBatchFeeder(): Promise<void> {
  if (!feedsHere()) return Promise.resolve();
  state.running ??= feedAllBatches()
    .then(() => undefined)
    .catch((e) => console.error('[batches] feeding failed:', e instanceof Error ? e.message : e))
    .finally(() => {
      state.running = undefined;
    });
  return state.running;
}
