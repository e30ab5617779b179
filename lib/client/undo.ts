/**
 * The one undo engine: the grid's Z, the compare workspace's Z and every toast's "Undo" button
 * take entries from a stack like this. It knows nothing of caches or actions: an entry brings
 * its own `revert`, which shows the edit undone at once and reports later whether the server
 * took it. The stack keeps the bookkeeping every caller used to repeat by hand:
 * - an entry whose own save was refused leaves the stack (there is nothing to undo);
 * - an undo the server refuses goes back on the stack, so it can be tried again;
 * - edits and undos queued through `enqueue` run one at a time, in order, so Z pressed right
 *   after X undoes that X even while the X is still being prepared.
 */

export const UNDO_LIMIT = 20;

/** An edit in flight: `shown` once the screen has it, `saved` with the server's answer. */
export type Pending = { shown: Promise<void>; saved: Promise<boolean> };

export type UndoEntry<T = undefined> = {
  id: number;
  /** Short words for toasts: "Deleted 3 variations". */
  label: string;
  /** What the caller needs back after an undo (the grid refocuses a restored item). */
  value: T;
  revert: () => Pending;
};

/** Newest last; the oldest entries fall off beyond `limit`. */
export function pushEntry<E extends { id: number }>(stack: readonly E[], entry: E, limit = UNDO_LIMIT): E[] {
  return [...stack, entry].slice(-limit);
}

/** Removes the entry with `id` (the Undo button of a toast) or the newest one (Z). */
export function takeEntry<E extends { id: number }>(stack: readonly E[], id?: number): { entry: E | undefined; rest: E[] } {
  const at = id === undefined ? stack.length - 1 : stack.findIndex((e) => e.id === id);
  if (at < 0) return { entry: undefined, rest: [...stack] };
  return { entry: stack[at], rest: [...stack.slice(0, at), ...stack.slice(at + 1)] };
}

/** Runs steps one after another; a failed step does not stop the ones queued after it. */
export type Lane = <R>(step: () => R | Promise<R>) => Promise<R>;

export function createLane(): Lane {
  let tail: Promise<unknown> = Promise.resolve();
  return (step) => {
    const run = tail.then(step);
    tail = run.catch(() => undefined);
    return run;
  };
}

export type UndoStack<T = undefined> = {
  /** A fresh id for an entry about to be pushed. */
  nextId: () => number;
  /** Records an edit. If `saved` resolves false the edit was rolled back, and so is the entry. */
  push: (entry: UndoEntry<T>, saved?: Promise<boolean>) => void;
  /** Plays back the newest entry (Z) or the one with `id` (a toast); resolves once it shows. */
  undo: (id?: number) => Promise<UndoEntry<T> | null>;
  /** Runs `step` after every edit and undo queued before it. */
  enqueue: Lane;
  /** The entries, oldest first (for tests and debugging). */
  entries: () => readonly UndoEntry<T>[];
};

export function createUndoStack<T = undefined>(limit = UNDO_LIMIT): UndoStack<T> {
  let stack: UndoEntry<T>[] = [];
  let seq = 0;
  const enqueue = createLane();
  return {
    nextId: () => ++seq,
    push(entry, saved) {
      stack = pushEntry(stack, entry, limit);
      void saved?.then((ok) => {
        if (!ok) stack = takeEntry(stack, entry.id).rest;
      });
    },
    undo: (id) =>
      enqueue(async () => {
        const { entry, rest } = takeEntry(stack, id);
        if (!entry) return null;
        stack = rest;
        const { shown, saved } = entry.revert();
        void saved.then((ok) => {
          if (!ok) stack = pushEntry(stack, entry, limit);
        });
        await shown;
        return entry;
      }),
    enqueue,
    entries: () => stack,
  };
}
