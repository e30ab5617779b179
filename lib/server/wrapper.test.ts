import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { GENERIC_ERROR_MESSAGE } from '@/lib/schemas/errors';
import { defineAction } from './action';
import { AppError } from './errors';
import { defineRoute } from './route';

// What a leak would look like: a path, SQL, a stack frame and a key.
const SECRET_DETAIL =
  'SQLITE_ERROR: no such column "x" in SELECT * FROM Run at /srv/app/lib/server/services/runs.ts:42 sk-live-CANARY123456';

const schema = z.object({ title: z.string().trim().min(1, 'A session needs a name.'), count: z.int().min(1).max(4) });

afterEach(() => vi.restoreAllMocks());

describe('defineAction', () => {
  it('passes parsed, typed input and the owner context to the handler', async () => {
    const action = defineAction('t', schema, async (ctx, input) => ({ workspace: ctx.workspaceId, title: input.title }));
    expect(await action({ title: '  Mugs ', count: 2 })).toEqual({ ok: true, data: { workspace: 'local', title: 'Mugs' } });
  });

  it('refuses invalid input with one message per field and never calls the handler', async () => {
    const handler = vi.fn(async () => 'ran');
    const action = defineAction('t', schema, handler);
    const result = await action({ title: '   ', count: 9 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.fields).toEqual({ title: 'A session needs a name.', count: expect.stringMatching(/4/) });
    expect(result.error.errorId).toBeUndefined();
    expect(handler).not.toHaveBeenCalled();
  });

  it('shows an AppError as it is: its code, message and fields', async () => {
    const action = defineAction('t', schema, async () => {
      throw new AppError('not_found', 'This session no longer exists.');
    });
    expect(await action({ title: 'a', count: 1 })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'This session no longer exists.' },
    });
  });

  it('turns anything unexpected into a generic message with an id; the detail goes only to the log', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const action = defineAction('t', schema, async () => {
      throw new Error(SECRET_DETAIL);
    });
    const result = await action({ title: 'a', count: 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual({ code: 'internal', message: GENERIC_ERROR_MESSAGE, errorId: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect(JSON.stringify(result)).not.toMatch(/SQLITE|SELECT|\/srv\/|runs\.ts|CANARY|at /);
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]![0])).toContain(result.error.errorId);
    expect(String(log.mock.calls[0]![0])).toContain('no such column');
  });
});

describe('defineRoute', () => {
  const params = z.object({ id: z.string().min(1).max(8) });
  const query = z.object({ limit: z.coerce.number().int().min(1).max(10).default(5) });
  const route = defineRoute({ name: 't', params, query }, async (ctx, { params, query }) => {
    if (params.id === 'missing') throw new AppError('not_found', 'No such thing.');
    if (params.id === 'boom') throw new Error(SECRET_DETAIL);
    return { id: params.id, limit: query.limit, workspace: ctx.workspaceId };
  });
  const call = (id: string, qs = '') => route(new Request(`http://127.0.0.1/x/${id}${qs}`), { params: Promise.resolve({ id }) });

  it('answers JSON with parsed params and query, never cached', async () => {
    const res = await call('abc', '?limit=3');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ id: 'abc', limit: 3, workspace: 'local' });
  });

  it('refuses a bad query with 400 and field errors', async () => {
    const res = await call('abc', '?limit=99');
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_input');
    expect(Object.keys(body.error.fields)).toEqual(['limit']);
  });

  it('maps an AppError to its status', async () => {
    const res = await call('missing');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No such thing.' } });
  });

  it('answers 500 with a generic message and an id for anything unexpected, leaking nothing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await call('boom');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/SQLITE|SELECT|\/srv\/|runs\.ts|CANARY|stack/);
    expect(JSON.parse(text).error).toEqual({ code: 'internal', message: GENERIC_ERROR_MESSAGE, errorId: expect.any(String) });
  });

  it('refuses a body that is not JSON', async () => {
    const post = defineRoute({ name: 'p', body: z.object({ a: z.string() }) }, async (_ctx, { body }) => body);
    const bad = await post(new Request('http://127.0.0.1/p', { method: 'POST', body: 'not json' }));
    expect(bad.status).toBe(400);
    const ok = await post(new Request('http://127.0.0.1/p', { method: 'POST', body: JSON.stringify({ a: 'x' }) }));
    expect(await ok.json()).toEqual({ a: 'x' });
  });
});
