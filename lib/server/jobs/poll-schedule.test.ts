import { describe, expect, it } from 'vitest';
import { DENSE_MS, expectedWindow, minPollIntervalMs, nextPollDelay, type PollScheduleInput } from './poll-schedule';

const base = { minIntervalMs: 250, attempt: 0, maxMs: 10_000 } satisfies Partial<PollScheduleInput>;

/** Every poll time from submit until `untilMs`, as the poll loop would make them. */
function pollTimes(input: Omit<PollScheduleInput, 'elapsedMs' | 'attempt'>, untilMs: number): number[] {
  const times: number[] = [];
  let t = 0;
  for (let attempt = 0; t < untilMs; attempt++) {
    t += nextPollDelay({ ...input, elapsedMs: t, attempt });
    times.push(t);
  }
  return times;
}

/** How long a result ready at `readyMs` waits for the first poll at or after it. */
function lateness(times: number[], readyMs: number): number {
  return times.find((t) => t >= readyMs)! - readyMs;
}

describe('nextPollDelay', () => {
  it('polls sparsely before the expected window and lands on its start', () => {
    const times = pollTimes({ ...base, medianMs: 4000 }, 2400);
    expect(times).toEqual([1000, 2000, 2400]);
    expect(expectedWindow(4000)).toEqual({ start: 2400, end: 5000 });
    expect(expectedWindow(60_000)).toEqual({ start: 36_000, end: 75_000 });
  });

  it('polls every 250 ms around the median of a short job', () => {
    const times = pollTimes({ ...base, medianMs: 4000 }, 5000).filter((t) => t >= 2400);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(new Set(gaps)).toEqual(new Set([DENSE_MS]));
    // A result ready anywhere in the window waits at most one dense step.
    for (let ready = 2400; ready <= 5000; ready += 37) expect(lateness(times, ready)).toBeLessThanOrEqual(DENSE_MS);
  });

  it('keeps the dense pace proportionate for long jobs', () => {
    const times = pollTimes({ ...base, medianMs: 60_000 }, 75_000);
    const inWindow = times.filter((t) => t >= 36_000 && t <= 75_000);
    expect(inWindow.length).toBeLessThanOrEqual(27);
    expect(lateness(times, 61_234)).toBeLessThanOrEqual(1500);
    // Before the window, at most one poll per 10 s (the cap).
    expect(times.filter((t) => t < 36_000).length).toBeLessThanOrEqual(4);
  });

  it('backs off past the window in proportion to the lateness', () => {
    expect(nextPollDelay({ ...base, medianMs: 4000, elapsedMs: 5200 })).toBe(300);
    expect(nextPollDelay({ ...base, medianMs: 4000, elapsedMs: 8000 })).toBe(1000);
    expect(nextPollDelay({ ...base, medianMs: 4000, elapsedMs: 24_000 })).toBe(5000);
    expect(nextPollDelay({ ...base, medianMs: 4000, elapsedMs: 400_000 })).toBe(10_000);
    // A late job never waits more than a quarter of its running time longer than needed.
    const times = pollTimes({ ...base, medianMs: 4000 }, 60_000);
    for (const ready of [6000, 9000, 17_000, 33_000]) expect(lateness(times, ready)).toBeLessThanOrEqual(ready / 4);
  });

  it('never polls faster than the vendor allows', () => {
    for (const elapsedMs of [0, 2900, 3000, 4000, 5000, 9000]) {
      expect(nextPollDelay({ ...base, minIntervalMs: 800, medianMs: 4000, elapsedMs })).toBeGreaterThanOrEqual(800);
      expect(nextPollDelay({ ...base, minIntervalMs: 800, elapsedMs, vendorHintMs: 100 })).toBeGreaterThanOrEqual(800);
    }
    expect(minPollIntervalMs('modelslab')).toBeGreaterThan(minPollIntervalMs('replicate'));
  });

  it('honours a Retry-After over everything, the cap included', () => {
    expect(nextPollDelay({ ...base, medianMs: 4000, elapsedMs: 4000, retryAfterMs: 30_000 })).toBe(30_000);
    expect(nextPollDelay({ ...base, elapsedMs: 0, retryAfterMs: 2000 })).toBe(2000);
  });

  it("follows the adapter's pace while the target has no history, else a gentle ramp", () => {
    expect(nextPollDelay({ ...base, elapsedMs: 0, vendorHintMs: 1500 })).toBe(1500);
    expect(nextPollDelay({ ...base, elapsedMs: 0 })).toBe(500);
    expect(nextPollDelay({ ...base, elapsedMs: 0, attempt: 3 })).toBe(Math.round(500 * 1.3 ** 3));
    expect(nextPollDelay({ ...base, elapsedMs: 0, attempt: 40 })).toBe(10_000);
  });

  it('lets a cap below the vendor floor win (tests, operators)', () => {
    expect(nextPollDelay({ ...base, maxMs: 100, medianMs: 4000, elapsedMs: 0 })).toBe(100);
    expect(nextPollDelay({ ...base, maxMs: 100, elapsedMs: 0, vendorHintMs: 2000 })).toBe(100);
  });

  it('treats a zero or missing median as no history', () => {
    expect(nextPollDelay({ ...base, medianMs: 0, elapsedMs: 0, vendorHintMs: 700 })).toBe(700);
  });
});
