import 'server-only';
import { env } from '../env';
import { AppError } from '../errors';
import { QueueFullError, type Release, Semaphore } from './semaphore';

/** Seconds a refused upload is told to wait: a decode takes well under a second or two. */
const BUSY_RETRY_AFTER_SECONDS = 2;

let gates: { key: string; decodes: Semaphore; uploads: Semaphore } | undefined;

/**
 * Two gates, built from the environment on first use. `decodes`: at most
 * IMAGE_DECODE_CONCURRENCY images decoded at once, so a burst of decompression bombs occupies
 * that many of libuv's four threads and the rest of the server keeps answering. `uploads`: at
 * most concurrency + IMAGE_DECODE_QUEUE uploads in progress (each may hold up to 10 MB of body),
 * admitted before their body is read.
 */
function current() {
  const { IMAGE_DECODE_CONCURRENCY: n, IMAGE_DECODE_QUEUE: queue } = env();
  const key = `${n}:${queue}`;
  if (gates?.key !== key) gates = { key, decodes: new Semaphore(n, queue), uploads: new Semaphore(n + queue, 0) };
  return gates;
}

function busyError(): AppError {
  return new AppError('unavailable', 'The server is busy with other images. Try again in a moment.', {
    retryAfter: BUSY_RETRY_AFTER_SECONDS,
  });
}

/** A place for one upload, or 503 at once when all are taken. */
export async function admitUpload(): Promise<Release> {
  try {
    return await current().uploads.acquire();
  } catch (e) {
    throw e instanceof QueueFullError ? busyError() : e;
  }
}

/**
 * Runs one decode within the limit. Uploads are refused (503) past the queue; background work
 * (`overflow: 'wait'`, input adaptation) always waits its turn.
 */
export async function withDecodeSlot<T>(
  fn: () => Promise<T>,
  options: { signal?: AbortSignal; overflow?: 'reject' | 'wait' } = {},
): Promise<T> {
  let release: Release;
  try {
    release = await current().decodes.acquire(options);
  } catch (e) {
    if (options.signal?.aborted) throw new AppError('unavailable', 'The upload was cancelled.', { cause: e });
    throw e instanceof QueueFullError ? busyError() : e;
  }
  try {
    return await fn();
  } finally {
    release();
  }
}

/** For tests and the bench: how busy the gates are. */
export function gateLoad(): { decoding: number; waiting: number; uploads: number } {
  const g = current();
  return { decoding: g.decodes.active, waiting: g.decodes.waiting, uploads: g.uploads.active };
}
