import { describe, expect, it } from 'vitest';
import { UNDO_LIMIT, createLane, createUndoStack, pushEntry, takeEntry, type Pending, type UndoEntry } from './undo';

/** A promise settled from outside, to hold a save in flight. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

/** An entry whose revert is logged and answers `saved` (true unless told otherwise). */
function entry(id: number, log: string[], saved: Promise<boolean> = Promise.resolve(true)): UndoEntry<string> {
  return {
    id,
    label: `edit ${id}`,
    value: `v${id}`,
    revert: (): Pending => {
      log.push(`revert ${id}`);
      return { shown: Promise.resolve(), saved };
    },
  };
}

describe('pushEntry and takeEntry', () => {
  const e = (id: number) => ({ id });

  it(`keep the last ${UNDO_LIMIT} entries`, () => {
    let stack: { id: number }[] = [];
    for (let i = 1; i <= UNDO_LIMIT + 5; i++) stack = pushEntry(stack, e(i));
    expect(stack).toHaveLength(UNDO_LIMIT);
    expect(stack[0]!.id).toBe(6);
    expect(stack.at(-1)!.id).toBe(UNDO_LIMIT + 5);
  });

  it('take the newest entry, or a named one, and leave the rest', () => {
    const stack = [e(1), e(2), e(3)];
    expect(takeEntry(stack).entry?.id).toBe(3);
    const named = takeEntry(stack, 2);
    expect(named.entry?.id).toBe(2);
    expect(named.rest.map((x) => x.id)).toEqual([1, 3]);
    expect(takeEntry(stack, 99)).toEqual({ entry: undefined, rest: stack });
    expect(takeEntry([]).entry).toBeUndefined();
  });
});

describe('the undo stack', () => {
  it('plays back the newest entry (Z), then the one before', async () => {
    const log: string[] = [];
    const stack = createUndoStack<string>();
    stack.push(entry(stack.nextId(), log));
    stack.push(entry(stack.nextId(), log));
    expect((await stack.undo())?.value).toBe('v2');
    expect((await stack.undo())?.value).toBe('v1');
    expect(await stack.undo()).toBeNull();
    expect(log).toEqual(['revert 2', 'revert 1']);
  });

  it('plays back a named entry (a toast) once; Z then skips it', async () => {
    const log: string[] = [];
    const stack = createUndoStack<string>();
    for (let i = 0; i < 3; i++) stack.push(entry(stack.nextId(), log));
    expect((await stack.undo(2))?.id).toBe(2);
    expect(await stack.undo(2)).toBeNull();
    expect((await stack.undo())?.id).toBe(3);
    expect(stack.entries().map((e) => e.id)).toEqual([1]);
  });

  it('drops an entry whose own save was refused: there is nothing to undo', async () => {
    const stack = createUndoStack<string>();
    const save = deferred<boolean>();
    stack.push(entry(stack.nextId(), []), Promise.resolve(true));
    stack.push(entry(stack.nextId(), []), save.promise);
    expect(stack.entries()).toHaveLength(2);
    save.resolve(false);
    await flush();
    expect(stack.entries().map((e) => e.id)).toEqual([1]);
  });

  it('puts an undo the server refused back on the stack, to try again', async () => {
    const log: string[] = [];
    const stack = createUndoStack<string>();
    const answer = deferred<boolean>();
    stack.push(entry(stack.nextId(), log, answer.promise));
    await stack.undo();
    expect(stack.entries()).toHaveLength(0);
    answer.resolve(false);
    await flush();
    expect(stack.entries().map((e) => e.id)).toEqual([1]);
  });

  it(`keeps ${UNDO_LIMIT} entries by default`, () => {
    const stack = createUndoStack<string>();
    for (let i = 0; i < UNDO_LIMIT + 3; i++) stack.push(entry(stack.nextId(), []));
    expect(stack.entries()).toHaveLength(UNDO_LIMIT);
    expect(stack.entries()[0]!.id).toBe(4);
  });

  it('resolves an undo once it shows, not when the server answers', async () => {
    const stack = createUndoStack<string>();
    const shown = deferred<void>();
    const never = new Promise<boolean>(() => {});
    stack.push({ id: stack.nextId(), label: 'x', value: 'x', revert: () => ({ shown: shown.promise, saved: never }) });
    let done = false;
    void stack.undo().then(() => (done = true));
    await flush();
    expect(done).toBe(false);
    shown.resolve();
    await flush();
    expect(done).toBe(true);
  });

  it('runs an undo after every edit queued before it (Z right after X undoes that X)', async () => {
    const log: string[] = [];
    const stack = createUndoStack<string>();
    const slow = deferred<void>();
    // The edit is still being prepared (reading the cache) when Z arrives.
    void stack.enqueue(async () => {
      await slow.promise;
      stack.push(entry(stack.nextId(), log));
    });
    const undone = stack.undo();
    slow.resolve();
    expect((await undone)?.id).toBe(1);
    expect(log).toEqual(['revert 1']);
  });
});

describe('createLane', () => {
  it('runs steps in order, and a failed step does not stop the next', async () => {
    const lane = createLane();
    const order: number[] = [];
    const first = lane(async () => {
      await flush();
      order.push(1);
      throw new Error('boom');
    });
    const second = lane(() => order.push(2));
    await expect(first).rejects.toThrow('boom');
    await second;
    expect(order).toEqual([1, 2]);
  });
});
