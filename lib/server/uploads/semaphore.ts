import 'server-only';

export type Release = () => void;

/** Thrown by `acquire` when every slot is taken and the queue is already full. */
export class QueueFullError extends Error {
  constructor() {
    super('Every slot is busy and the queue is full.');
    this.name = 'QueueFullError';
  }
}

type Waiter = { grant: (release: Release) => void };

/**
 * At most `limit` holders at once, then a FIFO queue of at most `maxQueue` waiters; past that,
 * `acquire` fails at once (so a burst is refused instead of piling up memory and latency).
 * A released slot goes straight to the next waiter, so a late caller cannot overtake the queue.
 */
export class Semaphore {
  #active = 0;
  readonly #queue: Waiter[] = [];

  constructor(
    readonly limit: number,
    readonly maxQueue = Number.POSITIVE_INFINITY,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    if (!(maxQueue >= 0)) throw new RangeError('maxQueue must be 0 or more');
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Resolves with a release function (calling it twice is harmless). `overflow: 'wait'` queues
   * past `maxQueue` (background work that must not be refused); a signal withdraws a waiter.
   */
  acquire(options: { signal?: AbortSignal; overflow?: 'reject' | 'wait' } = {}): Promise<Release> {
    const { signal, overflow = 'reject' } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#active < this.limit) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    if (overflow === 'reject' && this.#queue.length >= this.maxQueue) return Promise.reject(new QueueFullError());
    return new Promise<Release>((resolve, reject) => {
      const onAbort = () => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  /** Runs `fn` holding a slot, released however `fn` ends. */
  async run<T>(fn: () => Promise<T>, options?: { signal?: AbortSignal; overflow?: 'reject' | 'wait' }): Promise<T> {
    const release = await this.acquire(options);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next) next.grant(this.#releaser());
      else this.#active--;
    };
  }
}
