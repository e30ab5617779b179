import 'server-only';
import { env } from '../env';
import { purgeExpired, type PurgeReport } from '../services/purge';
import { blobStore } from '../storage';
import { collectGarbage } from './garbage';

const EVERY_MS = 3_600_000;
/** Temp files untouched this long are leftovers of a crash, not writes in progress. */
const TEMP_STALE_MS = 3_600_000;

export type MaintenanceReport = PurgeReport & { tempFiles: number };

type State = { timer?: ReturnType<typeof setInterval>; running?: Promise<MaintenanceReport | null> };
const globalForMaintenance = globalThis as unknown as { proofsheetMaintenance?: State };
// On globalThis: dev reloads this module, and a second timer would double every pass.
globalForMaintenance.proofsheetMaintenance ??= {};
const state: State = globalForMaintenance.proofsheetMaintenance;

/**
 * Started by ./housekeeping.ts (on PostgreSQL in the elected leader only): one pass now, then
 * hourly. A process with the worker disabled (a read-only replica) leaves it to the others.
 */
export function startMaintenance(): void {
  if (state.timer || env().WORKER_ENABLED === '0') return;
  void runMaintenance();
  state.timer = setInterval(() => void runMaintenance(), EVERY_MS);
  // Housekeeping alone must not keep a process alive.
  state.timer.unref();
}

export function stopMaintenance(): Promise<unknown> {
  if (state.timer) clearInterval(state.timer);
  state.timer = undefined;
  return state.running ?? Promise.resolve();
}

/**
 * One pass: leftover temp files, then the Trash past its retention period, then images
 * nothing points to. Never two at once in a process: a call while a pass runs joins it.
 * Failures are logged, never thrown (the next pass tries again).
 */
export function runMaintenance(now?: Date): Promise<MaintenanceReport | null> {
  state.running ??= pass(now ?? new Date()).finally(() => {
    state.running = undefined;
  });
  return state.running;
}

async function pass(now: Date): Promise<MaintenanceReport | null> {
  try {
    const tempFiles = await blobStore().sweep(new Date(now.getTime() - TEMP_STALE_MS));
    const purged = await purgeExpired(now);
    const garbage = await collectGarbage(now);
    const report = { ...purged, assets: purged.assets + garbage.assets, blobs: purged.blobs + garbage.blobs, tempFiles };
    if (Object.values(report).some((n) => n > 0)) {
      console.log(
        `[maintenance] trash purged: ${report.sessions} sessions, ${report.runs} runs, ${report.variations} variations; ` +
          `removed ${report.assets} images, ${report.blobs} files, ${report.tempFiles} temp files`,
      );
    }
    return report;
  } catch (e) {
    console.error('[maintenance] pass failed:', e instanceof Error ? e.message : e);
    return null;
  }
}
