import { describe, expect, it, vi } from 'vitest';
import { getContext } from '../context';
import { AppError } from '../errors';
import { createSessionValue, SESSION_COOKIE } from './session';
import { TOKEN, usePerimeterEnv } from './testing';

const setEnv = usePerimeterEnv();
let cookieValue: string | undefined;
vi.mock('next/headers', () => ({
  headers: async () => new Headers(),
  cookies: async () => ({
    get: (name: string) => (name === SESSION_COOKIE && cookieValue !== undefined ? { name, value: cookieValue } : undefined),
  }),
}));

describe('getContext resolves the actor from the session, not from the proxy alone', () => {
  it('is the local owner when no sign-in is configured (loopback only)', async () => {
    cookieValue = undefined;
    expect((await getContext()).actor).toEqual({ kind: 'owner', workspaceId: 'local' });
  });

  it('is the owner with a valid session cookie', async () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    cookieValue = createSessionValue([TOKEN]);
    expect((await getContext()).actor.kind).toBe('owner');
  });

  it('throws unauthorized without one, or with a tampered or expired one', async () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    for (const value of [
      undefined,
      'v1.1.abc.def',
      createSessionValue([TOKEN], Date.now() - 30 * 24 * 3600_000),
      createSessionValue(['some-other-secret']),
    ]) {
      cookieValue = value;
      const error = await getContext().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('unauthorized');
    }
  });
});
