import { MutationObserver, QueryClient, queryOptions } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { ActionResult } from '@/lib/schemas/result';
import { allResults, cachePatch, optimisticMutationOptions, sendAfter, startCall, type OptimisticConfig } from './optimistic';

type Item = { id: string; starred: boolean };
const listQuery = queryOptions({ queryKey: ['list'] as const, queryFn: async (): Promise<Item[]> => [] });
const otherQuery = queryOptions({ queryKey: ['other'] as const, queryFn: async () => 0 });

const star = (id: string, starred: boolean) => (list: Item[]) => list.map((i) => (i.id === id ? { ...i, starred } : i));
const refused: ActionResult<never> = { ok: false, error: { code: 'not_found', message: 'That item no longer exists.' } };

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The helper outside React: a real QueryClient and MutationObserver, toasts collected. */
function setup<TInput, TData>(config: OptimisticConfig<TInput, TData>) {
  const qc = new QueryClient();
  qc.setQueryData(listQuery.queryKey, [
    { id: 'a', starred: false },
    { id: 'b', starred: false },
  ]);
  qc.setQueryData(otherQuery.queryKey, 1);
  const toasts: string[] = [];
  const observer = new MutationObserver(
    qc,
    optimisticMutationOptions(qc, (t) => toasts.push(t.message), config),
  );
  const start = (input: TInput) => startCall((call) => observer.mutate(call), input);
  const list = () => qc.getQueryData(listQuery.queryKey)!.map((i) => `${i.id}:${i.starred}`);
  return { qc, toasts, start, list };
}

describe('the optimistic action', () => {
  it('shows the patch before the server answers, keeps it once saved, and invalidates', async () => {
    const answer = deferred<ActionResult<{ count: number }>>();
    const saved: unknown[] = [];
    const t = setup({
      action: () => answer.promise,
      optimistic: (id: string) => [cachePatch(listQuery.queryKey, star(id, true))],
      invalidate: () => [otherQuery.queryKey],
      onSaved: (data) => saved.push(data),
    });
    const call = t.start('a');
    await call.shown;
    expect(t.list()).toEqual(['a:true', 'b:false']);
    expect(t.qc.getQueryState(otherQuery.queryKey)?.isInvalidated).toBe(false);
    answer.resolve({ ok: true, data: { count: 1 } });
    expect(await call.saved).toBe(true);
    expect(await call.result).toEqual({ ok: true, data: { count: 1 } });
    expect(t.list()).toEqual(['a:true', 'b:false']);
    expect(t.qc.getQueryState(otherQuery.queryKey)?.isInvalidated).toBe(true);
    expect(saved).toEqual([{ count: 1 }]);
    expect(t.toasts).toEqual([]);
  });

  it('rolls back a refusal and says "Not saved: <message>"', async () => {
    const t = setup({
      action: async () => refused,
      optimistic: (id: string) => [cachePatch(listQuery.queryKey, star(id, true))],
      invalidate: () => [otherQuery.queryKey],
    });
    const call = t.start('a');
    expect(await call.saved).toBe(false);
    expect(await call.result).toEqual(refused);
    expect(t.list()).toEqual(['a:false', 'b:false']);
    expect(t.toasts).toEqual(['Not saved: That item no longer exists.']);
    expect(t.qc.getQueryState(otherQuery.queryKey)?.isInvalidated).toBe(false);
  });

  it('rolls back a network failure with a plain sentence, not the framework error', async () => {
    const t = setup({
      action: async (): Promise<ActionResult<null>> => Promise.reject(new TypeError('Failed to fetch')),
      optimistic: (id: string) => [cachePatch(listQuery.queryKey, star(id, true))],
    });
    expect(await t.start('b').saved).toBe(false);
    expect(t.list()).toEqual(['a:false', 'b:false']);
    expect(t.toasts).toEqual(['Not saved: the server did not answer']);
  });

  it('with a revert, rolls back only its own edit: an edit made meanwhile survives', async () => {
    const first = deferred<ActionResult<null>>();
    const answers = [first.promise, Promise.resolve({ ok: true, data: null } as const)];
    const t = setup({
      action: (_: string) => answers.shift()!,
      optimistic: (id) => [cachePatch(listQuery.queryKey, star(id, true), star(id, false))],
    });
    const a = t.start('a');
    await a.shown;
    await t.start('b').saved;
    first.resolve(refused);
    await a.saved;
    expect(t.list()).toEqual(['a:false', 'b:true']);
  });

  it('without a revert, restores the snapshot taken before the edit', async () => {
    const t = setup({ action: async (_: string) => refused, optimistic: () => [cachePatch(listQuery.queryKey, () => [])] });
    await t.start('x').saved;
    expect(t.list()).toEqual(['a:false', 'b:false']);
  });

  it('sets and puts back state outside the cache', async () => {
    let value = 'before';
    const t = setup({
      action: async (_: string) => refused,
      optimistic: (next) => [{ apply: () => (value = next), rollback: () => (value = 'before') }],
    });
    const call = t.start('after');
    await call.shown;
    expect(value).toBe('after');
    await call.saved;
    expect(value).toBe('before');
  });

  it('words the failure as asked', async () => {
    const bare = setup({ action: async () => refused, failurePrefix: '' });
    await bare.start(undefined).saved;
    const named = setup({ action: async (_: 'do' | 'undo') => refused, failurePrefix: (d) => (d === 'do' ? 'Not saved' : 'Undo failed') });
    await named.start('undo').saved;
    expect([...bare.toasts, ...named.toasts]).toEqual(['That item no longer exists.', 'Undo failed: That item no longer exists.']);
  });

  it('stops a fetch in flight so its answer cannot overwrite the patch', async () => {
    const t = setup({
      action: async (_: string) => ({ ok: true, data: null }) as const,
      optimistic: (id) => [cachePatch(listQuery.queryKey, star(id, true))],
    });
    const server = deferred<Item[]>();
    const fetching = t.qc.fetchQuery({ queryKey: listQuery.queryKey, queryFn: () => server.promise, staleTime: 0 }).catch(() => undefined);
    expect(t.qc.getQueryState(listQuery.queryKey)?.fetchStatus).toBe('fetching');
    await t.start('a').saved;
    server.resolve([{ id: 'a', starred: false }]);
    await fetching;
    expect(t.list()).toEqual(['a:true', 'b:false']);
  });
});

describe('allResults and sendAfter', () => {
  it('combine several calls of one edit: the first refusal, or every datum', async () => {
    expect(await allResults([Promise.resolve({ ok: true, data: 1 }), Promise.resolve({ ok: true, data: 2 })])).toEqual({
      ok: true,
      data: [1, 2],
    });
    expect(await allResults<number>([Promise.resolve({ ok: true, data: 1 }), Promise.resolve(refused)])).toEqual(refused);
  });

  it('send only once the earlier save went through', async () => {
    const sent: string[] = [];
    const call = async () => {
      sent.push('sent');
      return { ok: true, data: 'x' } as const;
    };
    expect(await sendAfter(Promise.resolve(false), call)).toEqual({ ok: true, data: null });
    expect(sent).toEqual([]);
    expect(await sendAfter(Promise.resolve(true), call)).toEqual({ ok: true, data: 'x' });
    expect(await sendAfter(undefined, call)).toEqual({ ok: true, data: 'x' });
    expect(sent).toEqual(['sent', 'sent']);
  });
});
