import 'server-only';

/**
 * Why work running here was told to stop. `released`: the claim is gone (cancelled, deleted,
 * or taken over): stop, write nothing. `watchdog`: the whole execution overran its hard
 * deadline. `shutdown`: the drain grace after SIGTERM ended.
 */
export type StopReason = 'released' | 'watchdog' | 'shutdown';

export type ActiveJob = {
  token: string;
  provider: string;
  /** Recovered after a crash: run one such job at a time, so a job that crashes its server takes no innocent neighbour's retries with it. */
  suspect: boolean;
  /** Aborted on every stop: polls, downloads and waits end at once. */
  soft: AbortController;
  /**
   * Aborted only by the watchdog or the end of the drain. A submit in flight listens to this
   * one alone: cut short by a cancel, its answer (and the vendor's job id) would be lost, and
   * the job could neither be stored nor cancelled at the vendor.
   */
  hard: AbortController;
};

const globalForJobs = globalThis as unknown as { proofsheetActiveJobs?: Map<string, ActiveJob> };

/** Variations this process is executing now, by id (kept across hot reloads, like the worker). */
globalForJobs.proofsheetActiveJobs ??= new Map();
export const activeJobs: Map<string, ActiveJob> = globalForJobs.proofsheetActiveJobs;

export function stopJob(job: ActiveJob, reason: StopReason): void {
  if (reason !== 'released') job.hard.abort(reason);
  job.soft.abort(reason);
}

/** True while this process runs the variation (recovery never takes it back from under us). */
export function runsHere(id: string): boolean {
  return activeJobs.has(id);
}
