import { describe, expect, it, vi } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';
import { TOKEN, usePerimeterEnv } from './testing';

const setEnv = usePerimeterEnv();
useTempDataDir();
// A public route must not even ask for the session.
vi.mock('next/headers', () => ({
  cookies: async () => {
    throw new Error('a public route read the session cookie');
  },
}));
const health = await import('@/app/api/health/route');

describe('with sign-in on, only health and signed inputs answer without a session', () => {
  it('answers /api/health without a session', async () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    const res = await health.GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('refuses a studio route that reaches the handler without one (the proxy aside)', async () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    vi.doMock('next/headers', () => ({ cookies: async () => ({ get: () => undefined }), headers: async () => new Headers() }));
    vi.resetModules();
    const fresh = await import('@/app/api/sessions/route');
    const res = await fresh.GET(new Request('http://127.0.0.1:3000/api/sessions'));
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
  });
});
