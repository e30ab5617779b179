import 'server-only';
import { env } from '../env';
import { feedAllBatches } from '../services/batches';

const EVERY_MS = 1_000;

type State = { timer?: ReturnType<typeof setInterval>; running?: Promise<void> };
const globalForFeeder = globalThis as unknown as { proofsheetBatchFeeder?: State };
// On globalThis: dev reloads this module, and a second timer would feed every batch twice.
globalForFeeder.proofsheetBatchFeeder ??= {};
const state: State = globalForFeeder.proofsheetBatchFeeder;

/**
 * Started beside the worker (instrumentation.ts): each second, batches are reconciled and
 * topped up to their in-flight cap. A process with the worker disabled leaves it to the one
 * that runs it, so two processes never feed the same batch.
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

/** One pass now (a new batch, a resume, a retry); a call while a pass runs joins it. Never throws. */
export function kickBatchFeeder(): Promise<void> {
  state.running ??= feedAllBatches()
    .then(() => undefined)
    .catch((e) => console.error('[batches] feeding failed:', e instanceof Error ? e.message : e))
    .finally(() => {
      state.running = undefined;
    });
  return state.running;
}
