import { NextRequest } from 'next/server';
import { describe, expect, it, vi } from 'vitest';
import { proxy } from '@/proxy';
import { perimeterRefusal } from './guard';
import { createSessionValue, SESSION_COOKIE } from './session';
import { TOKEN, usePerimeterEnv } from './testing';

const setEnv = usePerimeterEnv();

vi.mock('node:os', async (importOriginal) => {
  const os = await importOriginal<typeof import('node:os')>();
  const networkInterfaces = () => ({
    lo: [{ address: '127.0.0.1', family: 'IPv4' }],
    eth0: [
      { address: '192.168.1.20', family: 'IPv4' },
      { address: 'fd00::20', family: 'IPv6' },
    ],
  });
  return { ...os, default: { ...os, networkInterfaces }, networkInterfaces };
});

type Init = { method?: string; host?: string | null; headers?: Record<string, string> };

/** A request as Next.js hands it to the proxy: the URL is the server's own, Host is the client's. */
function request(path: string, { method = 'GET', host = '127.0.0.1:3000', headers = {} }: Init = {}) {
  const h = new Headers(headers);
  if (host !== null) h.set('host', host);
  return new NextRequest(`http://localhost:3000${path}`, { method, headers: h });
}

/** Through the proxy: `next` when it let the request on to the app; where a redirect goes, on this server. */
function run(path: string, init?: Init) {
  const res = proxy(request(path, init));
  const location = res.headers.get('location');
  return { res, passed: res.headers.get('x-middleware-next') === '1', location: location?.replace(/^http:\/\/localhost:3000/, '') };
}

const sameOrigin = { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' };
const studioFetch = { ...sameOrigin, 'x-proofsheet': '1' };
const cookie = (value: string) => ({ cookie: `${SESSION_COOKIE}=${value}` });

describe('Host allow-list (DNS rebinding)', () => {
  it.each(['localhost', 'localhost:3000', '127.0.0.1', '127.0.0.1:3210', '[::1]', '[::1]:3000', 'studio.localhost:3000', 'LOCALHOST:3000'])(
    'answers loopback name %s',
    (host) => expect(run('/', { host }).passed).toBe(true),
  );

  it.each([
    ['a rebinding name', 'attacker.example'],
    ['a rebinding name with our port', 'attacker.example:3000'],
    ['a LAN address nobody allowed', '10.0.0.99:3000'],
    ['userinfo smuggling', 'evil@127.0.0.1'],
    ['a path in Host', '127.0.0.1/x'],
    ['an empty Host', ''],
  ])('refuses %s with 421', (_what, host) => {
    const { res, passed } = run('/api/sessions', { host });
    expect(passed).toBe(false);
    expect(res.status).toBe(421);
  });

  it('refuses a request without Host, and a foreign X-Forwarded-Host behind a loopback Host', () => {
    expect(run('/', { host: null }).res.status).toBe(421);
    expect(run('/', { headers: { 'x-forwarded-host': 'attacker.example' } }).res.status).toBe(421);
  });

  it('answers the host of PUBLIC_BASE_URL and ALLOWED_HOSTS (signed in)', () => {
    setEnv({ ACCESS_TOKEN: TOKEN, PUBLIC_BASE_URL: 'https://studio.example.com', ALLOWED_HOSTS: 'box.lan, other.lan:8080' });
    const session = cookie(createSessionValue([TOKEN]));
    for (const host of ['studio.example.com', 'box.lan:3000', 'other.lan']) expect(run('/', { host, headers: session }).passed).toBe(true);
    expect(run('/', { host: 'studio.example.org', headers: session }).res.status).toBe(421);
  });

  it('without a secret, an allowed remote name reaches only vendor inputs and health, never the studio', async () => {
    setEnv({ PUBLIC_BASE_URL: 'https://tunnel.example.com' });
    const host = 'tunnel.example.com';
    expect(run('/api/inputs/abc', { host }).passed).toBe(true);
    expect(run('/api/health', { host }).passed).toBe(true);
    const api = run('/api/sessions', { host }).res;
    expect(api.status).toBe(403);
    expect((await api.json()).error.message).toMatch(/ACCESS_TOKEN/);
    expect(run('/', { host }).res.status).toBe(403);
  });
});

describe('state-changing requests are same-origin only', () => {
  it('lets the studio’s own upload through', () => {
    expect(run('/api/uploads', { method: 'POST', headers: studioFetch }).passed).toBe(true);
  });

  it.each([
    ['a cross-site Origin', { origin: 'https://attacker.example', 'x-proofsheet': '1' }],
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site', 'x-proofsheet': '1' }],
    [
      'Sec-Fetch-Site same-site (another port of this host)',
      { origin: 'http://127.0.0.1:5173', 'sec-fetch-site': 'same-site', 'x-proofsheet': '1' },
    ],
    ['Origin null (sandboxed frame)', { origin: 'null', 'x-proofsheet': '1' }],
    ['Origin of another loopback name', { origin: 'http://localhost:3000', 'x-proofsheet': '1' }],
    ['a same-origin post without the studio header', sameOrigin],
  ])('refuses an upload with %s', async (_what, headers) => {
    const { res, passed } = run('/api/uploads', { method: 'POST', headers });
    expect(passed).toBe(false);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
  });

  it('refuses a cross-site form post (what a page on another site can send) for every unsafe method', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const { res } = run('/api/uploads', {
        method,
        headers: { origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site', 'content-type': 'multipart/form-data; boundary=x' },
      });
      expect(res.status).toBe(403);
    }
  });

  it('checks server actions too: cross-site and Origin-less actions are refused, same-origin ones pass', () => {
    const action = { 'next-action': 'abc123' };
    expect(run('/s/1', { method: 'POST', headers: { ...action, origin: 'https://attacker.example' } }).res.status).toBe(403);
    expect(run('/s/1', { method: 'POST', headers: action }).res.status).toBe(403);
    expect(run('/s/1', { method: 'POST', headers: { ...action, ...sameOrigin } }).passed).toBe(true);
  });

  it('accepts a script (no browser signals) that sends the studio header, and GETs from anywhere on an allowed host', () => {
    expect(run('/api/uploads', { method: 'POST', headers: { 'x-proofsheet': '1' } }).passed).toBe(true);
    expect(run('/api/sessions', { headers: { 'sec-fetch-site': 'cross-site' } }).passed).toBe(true);
  });
});

describe('sign-in, when a secret is set', () => {
  it('redirects a page to the sign-in page, keeping where it was going', () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    const { res } = run('/s/abc?view=grid');
    expect(res.status).toBe(307);
    expect(run('/s/abc?view=grid').location).toBe('/sign-in?next=%2Fs%2Fabc%3Fview%3Dgrid');
    expect(run('/').location).toBe('/sign-in');
  });

  it('answers an API call or an action with 401 in the one error shape', async () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    for (const [path, init] of [
      ['/api/sessions', {}],
      ['/s/1', { method: 'POST', headers: { 'next-action': 'x', ...sameOrigin } }],
    ] as const) {
      const { res } = run(path, init);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: 'Sign in to use the studio.' } });
    }
  });

  it('lets a valid session through and refuses tampered, expired or foreign ones', () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    const good = createSessionValue([TOKEN]);
    expect(run('/api/sessions', { headers: cookie(good) }).passed).toBe(true);
    const [v, exp, id, sig] = good.split('.') as [string, string, string, string];
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const bad of [
      `${v}.${Number(exp) + 86400}.${id}.${sig}`,
      `${v}.${exp}.${flip(id)}.${sig}`,
      `${v}.${exp}.${id}.${flip(sig)}`,
      createSessionValue([TOKEN], Date.now() - 15 * 24 * 3600 * 1000),
      createSessionValue(['another-secret-entirely']),
      'garbage',
    ]) {
      expect(run('/api/sessions', { headers: cookie(bad) }).res.status).toBe(401);
    }
  });

  it('keeps the way in, health, signed inputs and static files public', () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    for (const path of ['/sign-in', '/api/health', `/api/inputs/${'a'.repeat(64)}`, '/_next/static/chunks/app.js', '/icon.svg']) {
      expect(run(path).passed).toBe(true);
    }
    expect(run('/api/auth/sign-in', { method: 'POST', headers: studioFetch }).passed).toBe(true);
  });

  it('sends a signed-in visitor of the sign-in page on, to a path of this site only', () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    const session = cookie(createSessionValue([TOKEN]));
    expect(run('/sign-in?next=%2Ftrash', { headers: session }).location).toBe('/trash');
    expect(run('/sign-in?next=%2F%2Fattacker.example', { headers: session }).location).toBe('/');
    expect(run('/sign-in?next=https%3A%2F%2Fattacker.example', { headers: session }).location).toBe('/');
  });

  it('allows this machine’s own LAN address as Host only with sign-in on', () => {
    // No rebinding can produce an IP literal the victim typed; without a secret it stays loopback only.
    expect(run('/api/health', { host: '192.168.1.20:3000' }).res.status).toBe(421);
    setEnv({ ACCESS_TOKEN: TOKEN });
    expect(run('/api/health', { host: '192.168.1.20:3000' }).passed).toBe(true);
    expect(run('/api/health', { host: '[fd00::20]:3000' }).passed).toBe(true);
    expect(run('/api/health', { host: '192.168.1.21:3000' }).res.status).toBe(421);
  });
});

describe('security headers', () => {
  it('gives a page a nonce policy that forbids framing, and hands the nonce to the render', () => {
    const { res } = run('/s/1');
    const csp = res.headers.get('content-security-policy')!;
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-inline'; script");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(res.headers.get('x-middleware-request-x-nonce')).toBe(nonce);
    expect(res.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
    const other = run('/s/1').res.headers.get('content-security-policy');
    expect(other).not.toBe(csp);
  });

  it('sends X-Frame-Options, nosniff and Referrer-Policy on pages, routes, files and refusals alike', () => {
    setEnv({ ACCESS_TOKEN: TOKEN });
    const responses = [
      run('/sign-in').res,
      run(`/api/inputs/${'a'.repeat(64)}`).res,
      run('/_next/static/chunks/app.js').res,
      run('/api/sessions').res,
      run('/', { host: 'attacker.example' }).res,
      run('/api/uploads', { method: 'POST', headers: { origin: 'https://attacker.example' } }).res,
    ];
    for (const res of responses) {
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  it('gives routes a policy under which nothing runs', () => {
    const csp = run('/api/sessions').res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('sandbox');
  });

  it('adds upgrade-insecure-requests only behind https, and eval only in development', () => {
    const https = proxy(request('/', { headers: { 'x-forwarded-proto': 'https' } })).headers.get('content-security-policy')!;
    expect(https).toContain('upgrade-insecure-requests');
    const plain = run('/').res.headers.get('content-security-policy')!;
    expect(plain).not.toContain('upgrade-insecure-requests');
    expect(plain).not.toContain('unsafe-eval');
  });
});

describe('perimeterRefusal, for a route that must refuse before its body is read', () => {
  const upload = (headers: Record<string, string>) =>
    new Request('http://127.0.0.1:3000/api/uploads', { method: 'POST', headers: { host: '127.0.0.1:3000', ...headers } });

  it('applies the same rules as the proxy to a plain Request', async () => {
    expect(perimeterRefusal(upload(studioFetch))).toBeUndefined();
    expect(perimeterRefusal(upload({ ...studioFetch, host: 'attacker.example' }))?.status).toBe(421);
    expect(perimeterRefusal(upload({ origin: 'https://attacker.example', 'x-proofsheet': '1' }))?.status).toBe(403);
    expect(perimeterRefusal(upload(sameOrigin))?.status).toBe(403);
    setEnv({ ACCESS_TOKEN: TOKEN });
    const refused = perimeterRefusal(upload(studioFetch));
    expect(refused?.status).toBe(401);
    expect(await refused?.json()).toEqual({ error: { code: 'unauthorized', message: 'Sign in to use the studio.' } });
    expect(perimeterRefusal(upload({ ...studioFetch, ...cookie(createSessionValue([TOKEN])) }))).toBeUndefined();
  });
});
