import { beforeEach, describe, expect, it } from 'vitest';
import { handleSignIn, handleSignOut } from './sign-in';
import { SESSION_COOKIE, verifySessionValue } from './session';
import { resetSignInLimiter, TOKEN, usePerimeterEnv } from './testing';

const setEnv = usePerimeterEnv();
beforeEach(() => {
  resetSignInLimiter();
  setEnv({ ACCESS_TOKEN: TOKEN });
});

function signIn(
  secret: string,
  { ip = '192.0.2.7', next, headers = {} }: { ip?: string; next?: string; headers?: Record<string, string> } = {},
) {
  return handleSignIn(
    new Request('http://localhost:3000/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...headers },
      body: JSON.stringify({ secret, next }),
    }),
  );
}

const cookieOf = (res: Response) => res.headers.get('set-cookie') ?? '';

describe('POST /api/auth/sign-in', () => {
  it('signs in with the right token: a verified session cookie, HttpOnly, SameSite=Strict, Path=/', async () => {
    const res = await signIn(TOKEN, { next: '/s/abc' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ next: '/s/abc' });
    const cookie = cookieOf(res);
    const attrs = cookie.split('; ');
    expect(attrs).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(attrs).not.toContain('Secure');
    const value = attrs[0]!.slice(`${SESSION_COOKIE}=`.length);
    expect(verifySessionValue(value, [TOKEN])).toBe(true);
  });

  it('marks the cookie Secure when served over https', async () => {
    const res = await signIn(TOKEN, { headers: { 'x-forwarded-proto': 'https' } });
    expect(cookieOf(res).split('; ')).toContain('Secure');
  });

  it('refuses a wrong token with 401 in the one error shape and no cookie', async () => {
    const res = await signIn('correct-horse-battery-stapler');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: 'That access token is not right.' } });
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('after 5 failures answers 429 with Retry-After, even for the right token, for that client only', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn(`wrong-guess-number-${i}`)).status).toBe(401);
    const limited = await signIn(TOKEN);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect((await limited.json()).error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/Too many failed attempts/),
    });
    expect(limited.headers.get('set-cookie')).toBeNull();
    expect((await signIn(TOKEN, { ip: '198.51.100.4' })).status).toBe(200);
  });

  it('keeps only a path of this site as where to go next', async () => {
    for (const next of ['//attacker.example', 'https://attacker.example', '/\\attacker.example', '/\t/attacker.example']) {
      expect(await (await signIn(TOKEN, { next })).json()).toEqual({ next: '/' });
    }
  });

  it('refuses a body that is not the JSON it expects, and answers 409 when sign-in is off', async () => {
    const res = await handleSignIn(new Request('http://localhost/api/auth/sign-in', { method: 'POST', body: 'secret=x' }));
    expect(res.status).toBe(400);
    setEnv({});
    expect((await signIn(TOKEN)).status).toBe(409);
  });
});

describe('POST /api/auth/sign-out', () => {
  it('clears the cookie with the same flags', () => {
    const res = handleSignOut(new Request('http://localhost/api/auth/sign-out', { method: 'POST' }));
    expect(cookieOf(res).split('; ')).toEqual(
      expect.arrayContaining([`${SESSION_COOKIE}=`, 'Max-Age=0', 'HttpOnly', 'SameSite=Strict', 'Path=/']),
    );
  });
});
