import type { ProviderId } from '@/lib/providers/target-kit';

/**
 * When to poll a vendor job next. A fixed backoff either polls too often early (wasting the
 * vendor's quota) or too rarely late (the result waits, up to a whole backoff step, for us to
 * look). The target's own recent latency says when the result is likely: poll sparsely before
 * it, densely in a window around it, and back off in proportion to how late the job runs.
 *
 * Pure, so the shape is tested without clocks (poll-schedule.test.ts).
 */
export type PollScheduleInput = {
  /** Since the job was submitted (submit-started stamp), not since this process began polling. */
  elapsedMs: number;
  /** Median provider time of this target's recent successful runs; undefined while it has none. */
  medianMs?: number;
  /**
   * The adapter's pace for this answer (`pollAfterMs`). Mostly a fixed per-adapter guess, so it
   * only sets the pace while the target has no history; the target's measured latency is
   * better evidence once there is some.
   */
  vendorHintMs?: number;
  /** A wait the vendor demanded (Retry-After on a poll): never polled before it. */
  retryAfterMs?: number;
  /** The fastest this vendor may be polled per job (MIN_POLL_INTERVAL_MS). */
  minIntervalMs: number;
  /** Polls made so far. */
  attempt: number;
  /** Longest wait (WORKER_POLL_MAX_MS); a Retry-After may exceed it. */
  maxMs?: number;
};

/** The densest pace around the expected finish (short jobs), when the vendor allows it. */
export const DENSE_MS = 250;
const DEFAULT_MAX_MS = 10_000;
/** Without any history: today's gentle ramp (the first runs of a target teach the median). */
const COLD_FIRST_MS = 500;
const COLD_GROWTH = 1.3;

export function nextPollDelay(input: PollScheduleInput): number {
  const { elapsedMs, medianMs, vendorHintMs, retryAfterMs, attempt } = input;
  const max = Math.max(1, input.maxMs ?? DEFAULT_MAX_MS);
  // An operator's (or a test's) cap below the vendor's floor is their call: the cap wins.
  const floor = Math.min(max, Math.max(1, input.minIntervalMs));
  let delay: number;
  if (medianMs === undefined || !(medianMs > 0)) {
    delay = vendorHintMs ?? COLD_FIRST_MS * COLD_GROWTH ** Math.max(0, attempt);
  } else {
    const { start, end } = expectedWindow(medianMs);
    // Dense, but in proportion: a 60 s job polled every 1.5 s waits at most 2.5 % longer.
    const dense = Math.max(DENSE_MS, floor, medianMs / 40);
    if (elapsedMs < start) {
      // Early finishes happen (a warm model, a short queue): look now and then, and land
      // exactly on the window's start.
      const sparse = Math.max(1000, start / 4);
      delay = Math.min(sparse, start - elapsedMs);
    } else if (elapsedMs <= end) {
      delay = dense;
    } else {
      // Late: a job at twice its usual time is likely stuck in a queue; polling at a quarter
      // of its lateness keeps the added wait proportionate (≤ 25 %) at a falling cost.
      delay = (elapsedMs - medianMs) / 4;
    }
    delay = Math.max(delay, dense);
  }
  delay = Math.min(max, Math.max(floor, delay));
  // A demanded wait is honoured whatever the cap (retry-after.ts bounds it first).
  return Math.round(Math.max(delay, retryAfterMs ?? 0));
}

/**
 * Where the result is likely: from 40 % before the median to 25 % after it (never narrower
 * than 1 s either side). Wider before, because the median is measured to the moment the result
 * was stored, which a late poll pushes back: a window centred on it would catch the next
 * result late again, and the median would creep up run after run.
 */
export function expectedWindow(medianMs: number): { start: number; end: number } {
  return { start: Math.max(0, medianMs - Math.max(1000, medianMs * 0.4)), end: medianMs + Math.max(1000, medianMs / 4) };
}

/**
 * The fastest each vendor's job may be polled, per job. A vendor's documented limit is per
 * account, so this is that limit divided by the jobs we run at once for it, with room to spare.
 * - DashScope (Model Studio): "Query the result of an asynchronous task … Rate limit: 20 QPS
 *   per Alibaba Cloud account" (alibabacloud.com/help/en/model-studio/manage-asynchronous-tasks);
 *   2 jobs at once here (dashscope/config.ts): 4 QPS each at 250 ms, 8 in all.
 * - Replicate: all endpoints but create at 3000 requests/min (50/s) per account
 *   (replicate.com/docs/topics/predictions/rate-limits).
 * - ModelsLab: the documented cap is on queued requests, not on fetches (rate-limits.mdx);
 *   its fetch is a POST that re-reads the job, so it gets a gentler pace.
 * - fal: no per-minute request limit documented (fal.ai/docs/model-apis/faq).
 * - WaveSpeed, Kie, Atlas Cloud: no polling limit documented (as checked); ComfyUI is the
 *   user's own server. These get the default.
 */
const MIN_POLL_INTERVAL_MS: Partial<Record<ProviderId, number>> = {
  modelslab: 500,
};
const DEFAULT_MIN_INTERVAL_MS = 250;

export function minPollIntervalMs(provider: ProviderId): number {
  return MIN_POLL_INTERVAL_MS[provider] ?? DEFAULT_MIN_INTERVAL_MS;
}
