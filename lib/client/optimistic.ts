import type { DataTag, MutationOptions, QueryClient, QueryKey } from '@tanstack/react-query';
import type { ActionError, ActionResult } from '@/lib/schemas/result';
import type { Pending } from './undo';

/**
 * The optimistic edit, as plain TanStack mutation options (no React here, so it is tested with a
 * real QueryClient): patch the caches before the server answers, roll back on a refusal or a
 * network failure with a toast "Not saved: <why>", invalidate what the edit made stale once it
 * is saved. `use-optimistic-action.ts` is the hook around it.
 */

/** Edits every cached query under `queryKey`. */
export type CachePatch = {
  queryKey: QueryKey;
  update: (data: unknown) => unknown;
  /**
   * The edit played backwards on the cache as it is at rollback time. Other edits made in the
   * meantime then survive a rollback; without it the snapshot taken before the edit is restored.
   */
  revert?: (data: unknown) => unknown;
};

/** State outside the query cache (a component's own), set at once and put back on failure. */
type LocalPatch = { apply: () => void; rollback: () => void };

export type OptimisticPatch = CachePatch | LocalPatch;

/** A typed cache patch: the key from a query's options carries its data type. */
export function cachePatch<TData>(
  queryKey: DataTag<QueryKey, TData, unknown>,
  update: (data: TData) => TData,
  revert?: (data: TData) => TData,
): CachePatch {
  return { queryKey, update: update as (data: unknown) => unknown, revert: revert as ((data: unknown) => unknown) | undefined };
}

const isCachePatch = (p: OptimisticPatch): p is CachePatch => 'queryKey' in p;

export type AppliedPatch = { patch: OptimisticPatch; snapshot: [QueryKey, unknown][] };

/**
 * Cancels the patched queries' fetches first: a fetch finishing later would overwrite the patch
 * (and a cancelled one restores the data it started from, so it must stop before we write).
 */
async function applyPatches(qc: QueryClient, patches: readonly OptimisticPatch[]): Promise<AppliedPatch[]> {
  await Promise.all(patches.filter(isCachePatch).map((p) => qc.cancelQueries({ queryKey: p.queryKey })));
  return patches.map((patch) => {
    if (!isCachePatch(patch)) {
      patch.apply();
      return { patch, snapshot: [] };
    }
    const snapshot = qc.getQueriesData({ queryKey: patch.queryKey });
    qc.setQueriesData({ queryKey: patch.queryKey }, (data: unknown) => (data === undefined ? data : patch.update(data)));
    return { patch, snapshot };
  });
}

/** Undoes `applied`, newest first. */
function rollbackPatches(qc: QueryClient, applied: readonly AppliedPatch[]): void {
  for (const { patch, snapshot } of [...applied].reverse()) {
    if (!isCachePatch(patch)) patch.rollback();
    else if (patch.revert)
      qc.setQueriesData({ queryKey: patch.queryKey }, (data: unknown) => (data === undefined ? data : patch.revert!(data)));
    else for (const [key, data] of snapshot) qc.setQueryData(key, data);
  }
}

/** The server refused (its `ActionError`), or never answered (no error object). */
class ActionFailure extends Error {
  constructor(readonly error: ActionError | null) {
    super(error?.message ?? 'the server did not answer');
    this.name = 'ActionFailure';
  }
}

/** An action's result as a mutation: a refusal throws, so TanStack takes the error path. */
async function unwrap<T>(result: Promise<ActionResult<T>>): Promise<T> {
  let r: ActionResult<T>;
  try {
    r = await result;
  } catch {
    // A server action that never answered throws something framework-shaped; say it plainly.
    throw new ActionFailure(null);
  }
  if (!r.ok) throw new ActionFailure(r.error);
  return r.data;
}

/** One ActionResult for several calls of one edit: the first refusal, or every datum. */
export async function allResults<T>(calls: readonly Promise<ActionResult<T>>[]): Promise<ActionResult<T[]>> {
  const results = await Promise.all(calls);
  const failed = results.find((r) => !r.ok);
  if (failed && !failed.ok) return failed;
  return { ok: true, data: results.flatMap((r) => (r.ok ? [r.data] : [])) };
}

export type OptimisticConfig<TInput, TData> = {
  action: (input: TInput) => Promise<ActionResult<TData>>;
  /** Computed when the edit starts, after earlier patches have landed. */
  optimistic?: (input: TInput) => readonly OptimisticPatch[];
  /** Queries the saved edit made stale (prefixes). The patched ones are usually left out. */
  invalidate?: (input: TInput, data: TData) => readonly QueryKey[];
  /** Starts the failure toast; '' shows the server's message alone. Default 'Not saved'. */
  failurePrefix?: string | ((input: TInput) => string);
  onSaved?: (data: TData, input: TInput) => void;
  onRefused?: (failure: ActionFailure, input: TInput) => void;
};

export type Notify = (t: { tone: 'error'; message: string }) => void;

/** The variables the mutation runs with: the caller's input, and who to tell once it shows. */
export type Call<TInput> = { input: TInput; shown: () => void };

function failureMessage<TInput>(
  failurePrefix: OptimisticConfig<TInput, unknown>['failurePrefix'],
  input: TInput,
  failure: ActionFailure,
): string {
  const prefix = typeof failurePrefix === 'function' ? failurePrefix(input) : (failurePrefix ?? 'Not saved');
  return prefix ? `${prefix}: ${failure.message}` : failure.message;
}

export function optimisticMutationOptions<TInput, TData>(
  qc: QueryClient,
  notify: Notify,
  config: OptimisticConfig<TInput, TData>,
): MutationOptions<TData, Error, Call<TInput>, AppliedPatch[]> {
  return {
    // A failed edit is rolled back at once: never paused for "offline", never retried.
    networkMode: 'always',
    retry: false,
    onMutate: async ({ input, shown }) => {
      try {
        return await applyPatches(qc, config.optimistic?.(input) ?? []);
      } finally {
        shown();
      }
    },
    mutationFn: ({ input }) => unwrap(config.action(input)),
    onSuccess: (data, { input }) => {
      for (const queryKey of config.invalidate?.(input, data) ?? []) void qc.invalidateQueries({ queryKey });
      config.onSaved?.(data, input);
    },
    onError: (error, { input }, applied) => {
      if (applied) rollbackPatches(qc, applied);
      const failure = error instanceof ActionFailure ? error : new ActionFailure(null);
      notify({ tone: 'error', message: failureMessage(config.failurePrefix, input, failure) });
      config.onRefused?.(failure, input);
    },
  };
}

/** Starts an edit through `mutate` and reports it as `Pending`, plus the action's own result. */
export function startCall<TInput, TData>(
  mutate: (call: Call<TInput>) => Promise<TData>,
  input: TInput,
): Pending & { result: Promise<ActionResult<TData>> } {
  let shown!: () => void;
  const shownPromise = new Promise<void>((resolve) => (shown = resolve));
  const result = mutate({ input, shown }).then(
    (data): ActionResult<TData> => ({ ok: true, data }),
    (e: unknown): ActionResult<TData> => ({
      ok: false,
      error: e instanceof ActionFailure && e.error ? e.error : { code: 'internal', message: 'the server did not answer' },
    }),
  );
  // If the mutation fails before onMutate runs, nothing will be shown: do not wait forever.
  void result.then(() => shown());
  return { shown: shownPromise, saved: result.then((r) => r.ok), result };
}

/**
 * Sends `call` once an earlier edit's save (`after`) went through. An undo pressed before its
 * edit reached the server would race it there; if that edit failed it was already rolled back
 * and there is nothing to send.
 */
export async function sendAfter<T>(
  after: Promise<boolean> | undefined,
  call: () => Promise<ActionResult<T>>,
): Promise<ActionResult<T | null>> {
  if (after && !(await after)) return { ok: true, data: null };
  return call();
}
