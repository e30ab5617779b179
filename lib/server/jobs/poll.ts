import 'server-only';
import { env } from '../env';
import { isProviderError, ProviderError } from '../providers/errors';
import type { AdapterContext, PollResult, ProviderAdapter } from '../providers/types';
import { pollTiming } from './latency';
import { waitForPoll } from './poke';
import { minPollIntervalMs, nextPollDelay } from './poll-schedule';
import { retryAfterMs, tooLongToWait, waitTooLong } from './retry-after';

export type Finished = Extract<PollResult, { state: 'succeeded' }>;

export type PollJob = {
  adapter: ProviderAdapter;
  handle: string;
  /** For messages: "WaveSpeed", and the vendor's job id. */
  vendor: string;
  jobId: string | null;
  /** Epoch ms after which a job still running is cancelled (submit time + the vendor's deadline). */
  deadline: number;
  ctx: AdapterContext;
  /** The vendor's hint from submit, when it gave one. */
  firstWaitMs?: number;
  /** Lets a vendor's callback wake this loop (pokeVariation). */
  variationId?: string;
};

const MIN_WAIT_MS = 50;
const MAX_TRANSIENT_ERRORS = 5;

/**
 * Polls one vendor job until it ends. The job is always polled at least once, however late
 * (a job resumed after a restart may well have finished while we were down: its result is
 * paid for). A 429 is the vendor pacing us, not a fault: its Retry-After is waited out (up to
 * MAX_RETRY_AFTER_MS) and not counted; other retryable errors are, a few in a row at most.
 * Otherwise the pace follows the target's recent latency (poll-schedule.ts): sparse early,
 * dense around its median, backing off past it; never faster than the vendor allows, capped by
 * WORKER_POLL_MAX_MS.
 */
export async function pollUntilDone(job: PollJob): Promise<Finished> {
  const { adapter, handle, ctx } = job;
  const cap = env().WORKER_POLL_MAX_MS;
  const timing = await pollTiming(job.variationId);
  const minIntervalMs = minPollIntervalMs(adapter.id);
  let attempt = 0;
  const schedule = (vendorHintMs?: number, retryAfterMs?: number) =>
    nextPollDelay({
      elapsedMs: Date.now() - timing.submittedAt,
      medianMs: timing.medianMs,
      vendorHintMs,
      retryAfterMs,
      minIntervalMs,
      attempt,
      maxMs: cap,
    });
  let wait = schedule(job.firstWaitMs);
  let transientErrors = 0;
  for (;;) {
    // A verified vendor callback cuts the wait short (./poke.ts).
    await waitForPoll(job.variationId, Math.max(MIN_WAIT_MS, wait), ctx.signal);
    attempt += 1;
    let result: PollResult;
    try {
      result = await adapter.poll(handle, ctx);
      transientErrors = 0;
    } catch (e) {
      if (!isProviderError(e) || ctx.signal.aborted) throw e;
      if (e.code === 'rate_limited') {
        const ms = retryAfterMs(e);
        if (tooLongToWait(ms)) throw withJob(waitTooLong(ms, job.vendor), job.jobId);
        await timeoutIfLate(job);
        wait = schedule(undefined, ms);
        continue;
      }
      if (!e.retryable || ++transientErrors > MAX_TRANSIENT_ERRORS) throw e;
      await timeoutIfLate(job);
      wait = Math.min(cap, wait * 2);
      continue;
    }
    if (result.state === 'succeeded') return result;
    if (result.state === 'failed') throw result.error;
    if (result.state === 'cancelled') throw new ProviderError({ code: 'interrupted', message: `The job was cancelled at ${job.vendor}.` });
    await timeoutIfLate(job);
    wait = schedule(result.pollAfterMs);
  }
}

/** Past the deadline (after at least one poll): cancel where the vendor allows it, and stop. */
async function timeoutIfLate(job: PollJob): Promise<void> {
  if (Date.now() <= job.deadline) return;
  await job.adapter.cancel?.(job.handle, job.ctx).catch(() => {});
  throw withJob(
    new ProviderError({
      code: 'timeout',
      message: `No result from ${job.vendor} within ${Math.round(job.adapter.deadlineMs / 1000)} s; the job was cancelled where the provider allows it.`,
    }),
    job.jobId,
  );
}

function withJob(e: ProviderError, jobId: string | null): ProviderError {
  if (!jobId) return e;
  return new ProviderError({
    code: e.code,
    message: `${e.message} (job ${jobId})`,
    providerCode: e.providerCode,
    httpStatus: e.httpStatus,
  });
}
