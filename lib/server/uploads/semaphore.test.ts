import { describe, expect, it } from 'vitest';
import { QueueFullError, Semaphore } from './semaphore';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Semaphore', () => {
  it('lets `limit` holders in at once and queues the rest in order', async () => {
    const s = new Semaphore(2, 10);
    const order: number[] = [];
    const releases = await Promise.all([s.acquire(), s.acquire()]);
    expect([s.active, s.waiting]).toEqual([2, 0]);
    const third = s.acquire().then((r) => {
      order.push(3);
      return r;
    });
    const fourth = s.acquire().then((r) => {
      order.push(4);
      return r;
    });
    await tick();
    expect([s.active, s.waiting, order]).toEqual([2, 2, []]);
    releases[0]!();
    const r3 = await third;
    expect(order).toEqual([3]);
    releases[1]!();
    const r4 = await fourth;
    expect(order).toEqual([3, 4]);
    r3();
    r4();
    expect([s.active, s.waiting]).toEqual([0, 0]);
  });

  it('refuses at once past the queue, unless told to wait', async () => {
    const s = new Semaphore(1, 1);
    const held = await s.acquire();
    const queued = s.acquire();
    await expect(s.acquire()).rejects.toBeInstanceOf(QueueFullError);
    const patient = s.acquire({ overflow: 'wait' });
    expect(s.waiting).toBe(2);
    held();
    (await queued)();
    (await patient)();
    expect(s.active).toBe(0);
  });

  it('with a queue of 0 is a plain admission limit', async () => {
    const s = new Semaphore(2, 0);
    await s.acquire();
    await s.acquire();
    await expect(s.acquire()).rejects.toBeInstanceOf(QueueFullError);
  });

  it('ignores a second release of the same slot', async () => {
    const s = new Semaphore(1);
    const release = await s.acquire();
    release();
    release();
    expect(s.active).toBe(0);
    await s.acquire();
    expect(s.active).toBe(1);
  });

  it('withdraws a waiter whose signal aborts, and skips it', async () => {
    const s = new Semaphore(1, 5);
    const held = await s.acquire();
    const controller = new AbortController();
    const gone = s.acquire({ signal: controller.signal });
    const next = s.acquire();
    controller.abort(new Error('client left'));
    await expect(gone).rejects.toThrow('client left');
    expect(s.waiting).toBe(1);
    held();
    (await next)();
    expect(s.active).toBe(0);
  });

  it('releases after run, whether fn resolves or throws', async () => {
    const s = new Semaphore(1);
    expect(await s.run(async () => 7)).toBe(7);
    await expect(s.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(s.active).toBe(0);
  });

  it('never has more than `limit` running under load', async () => {
    const s = new Semaphore(2);
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        s.run(async () => {
          most = Math.max(most, ++running);
          await tick();
          running--;
        }),
      ),
    );
    expect(most).toBe(2);
  });

  it('rejects a nonsensical limit', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow(RangeError);
  });
});
