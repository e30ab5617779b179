// SSRF and hostile answers (hardening.md S1-S6 and the "Outbound" catalogue): every server-side
// request goes through lib/server/net/fetch.ts. A loopback listener counts connections: for
// every refused case it must stay at zero, so "refused" means "never connected", not "failed".
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir({ OUTBOUND_ALLOW_HOSTS: '' });
const { guardedFetch, LIMITS } = await import('@/lib/server/net/fetch');
const { blockedReason } = await import('@/lib/server/net/guard');
const { parseAllowEntry } = await import('@/lib/server/net/host-port');
const { env, resetEnvCache } = await import('@/lib/server/env');
const { request } = await import('@/lib/server/providers/http');
const { fetchOutput } = await import('@/lib/server/jobs/fetch-output');
const { ProviderError } = await import('@/lib/server/providers/errors');
const { allowOutbound } = await import('@/lib/server/providers/testing/contract-kit');

type Listener = { server: http.Server; port: number; connections: number; requests: { url?: string; body: string }[] };

async function listen(
  host: string,
  handler: (req: http.IncomingMessage, res: http.ServerResponse, l: Listener) => void = (_q, r) => r.end('reached'),
) {
  const l = { connections: 0, requests: [] } as unknown as Listener;
  l.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      l.requests.push({ url: req.url, body });
      handler(req, res, l);
    });
  });
  l.server.on('connection', () => l.connections++);
  await new Promise<void>((resolve, reject) => l.server.once('error', reject).listen(0, host, resolve));
  l.port = (l.server.address() as AddressInfo).port;
  return l;
}

let target: Listener; // must never be reached
let target6: Listener | undefined; // the same on ::1, where this machine has IPv6
let relay: Listener; // allow-listed; answers what its path asks for
let other: Listener; // allow-listed too: another origin for the 307 case
let gzipBomb: Buffer;
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  target = await listen('127.0.0.1');
  target6 = await listen('::1').catch(() => undefined);
  other = await listen('127.0.0.1');
  relay = await listen('127.0.0.1', (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const to = u.searchParams.get('to');
    if (u.pathname === '/go' && to) return res.writeHead(Number(u.searchParams.get('status') ?? 302), { location: to }).end();
    const hop = /^\/chain\/(\d+)\/(\d+)$/.exec(u.pathname);
    if (hop)
      return Number(hop[1]) < Number(hop[2])
        ? res.writeHead(302, { location: `/chain/${Number(hop[1]) + 1}/${hop[2]}` }).end()
        : res.end('end of chain');
    if (u.pathname === '/echo')
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method }));
    if (u.pathname === '/drip') {
      res.writeHead(200, { 'content-type': 'image/png' });
      const t = setInterval(() => res.write('x'), 1000);
      timers.add(t);
      res.on('close', () => clearInterval(t));
      return;
    }
    if (u.pathname === '/huge' || u.pathname === '/endless-json') {
      // No Content-Length: the cap has to hold while streaming.
      res.writeHead(200, { 'content-type': u.pathname === '/huge' ? 'image/png' : 'application/json' });
      if (u.pathname === '/endless-json') res.write('[');
      const chunk = Buffer.alloc(1024 * 1024, u.pathname === '/huge' ? 0 : '0,');
      let left = u.pathname === '/huge' ? 61 : Number.POSITIVE_INFINITY;
      const pump = () => {
        while (left-- > 0) if (!res.write(chunk)) return void res.once('drain', pump);
        res.end();
      };
      res.on('close', () => (left = 0));
      return pump();
    }
    if (u.pathname === '/gzip-bomb') return res.writeHead(200, { 'content-type': 'image/png', 'content-encoding': 'gzip' }).end(gzipBomb);
    if (u.pathname === '/reset') return req.socket.destroy();
    if (u.pathname === '/half') {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': '1000' });
      res.write('only part');
      return setTimeout(() => req.socket.destroy(), 20);
    }
    res.end('relay');
  });
  // 200 MB of zeros, gzipped to a few hundred KB.
  const gz = createGzip();
  const parts: Buffer[] = [];
  gz.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise((r) => gz.on('end', r));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < 200; i++) gz.write(zeros);
  gz.end();
  await done;
  gzipBomb = Buffer.concat(parts);
});

afterAll(async () => {
  for (const t of timers) clearInterval(t);
  for (const l of [target, target6, relay, other]) {
    l?.server.closeAllConnections();
    await new Promise<void>((r) => (l ? l.server.close(() => r()) : r()));
  }
});

afterEach(() => {
  // The invariant of the whole file: nothing ever reached the listener that is not allow-listed.
  const reached = target.connections + (target6?.connections ?? 0);
  target.connections = 0;
  if (target6) target6.connections = 0;
  expect(reached, 'connections to the listener').toBe(0);
});

const relayUrl = () => `http://127.0.0.1:${relay.port}`;
const allowRelay = () => [`127.0.0.1:${relay.port}`, `127.0.0.1:${other.port}`];
const get = (url: string, more: Partial<Parameters<typeof guardedFetch>[2]> = {}) =>
  guardedFetch(url, { method: 'GET' }, { timeoutMs: 3000, maxBytes: LIMITS.imageBytes, redirect: 'follow', allow: allowRelay(), ...more });
const caught = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProviderError);
  return e as InstanceType<typeof ProviderError>;
};

/** The listener, written every way a URL can say 127.0.0.1 (or this machine). */
const disguises = (port: number) => [
  `http://127.0.0.1:${port}/`,
  `http://[::ffff:127.0.0.1]:${port}/`,
  `http://[::ffff:7f00:1]:${port}/`,
  `http://2130706433:${port}/`,
  `http://0x7f.1:${port}/`,
  `http://017700000001:${port}/`,
  `http://127.1:${port}/`,
  `http://127.0.0.1.:${port}/`,
  `http://0.0.0.0:${port}/`,
  `http://0:${port}/`,
  `http://[::]:${port}/`,
  `http://localhost:${port}/`,
  `http://LOCALHOST:${port}/`,
];

describe('the address guard refuses before connecting', () => {
  it('the URL parser normalises decimal, hex, octal and short IPv4 forms (the guard relies on it)', () => {
    for (const form of ['2130706433', '0x7f.1', '017700000001', '127.1', '0x7f000001', '127.0.0.1.', '0177.0.0.1']) {
      expect(new URL(`http://${form}/`).hostname, form).toBe('127.0.0.1');
    }
    expect(new URL('http://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]');
  });

  for (const url of disguises(0)) {
    it(`refuses ${url.replace(':0/', ':<listener>/')}`, async () => {
      const err = await caught(get(url.replace(':0/', `:${target.port}/`)));
      expect([err.code, err.sent]).toEqual(['provider_error', false]);
      expect(err.message).toMatch(/^Refusing to connect to .*special-purpose address/);
      expect(err.message).toContain('OUTBOUND_ALLOW_HOSTS');
    });
  }

  it('refuses ::1 (a listener on IPv6 loopback, where there is one)', async () => {
    const port = target6?.port ?? target.port;
    expect((await caught(get(`http://[::1]:${port}/`))).message).toMatch(/::1 is a special-purpose address \(loopback\)/);
  });

  it('refuses cloud metadata addresses, however written', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://100.100.100.200/',
      'http://192.0.0.192/',
      'http://[fd00:ec2::254]/',
      'http://[64:ff9b::a9fe:a9fe]/',
    ]) {
      const err = await caught(get(url, { timeoutMs: 500 }));
      expect([url, err.sent, /^Refusing to connect/.test(err.message)]).toEqual([url, false, true]);
    }
  });

  it('refuses a name that resolves to loopback, and a name with any special answer among public ones', async () => {
    const calls: string[] = [];
    const resolve = async (host: string) => {
      calls.push(host);
      return host === 'mixed.test'
        ? [
            { address: '93.184.215.14', family: 4 },
            { address: '127.0.0.1', family: 4 },
          ]
        : [{ address: '127.0.0.1', family: 4 }];
    };
    expect((await caught(get(`http://rebind.test:${target.port}/`, { resolve }))).message).toMatch(
      /rebind\.test:\d+: 127\.0\.0\.1 is .*loopback/,
    );
    expect((await caught(get(`http://mixed.test:${target.port}/`, { resolve }))).sent).toBe(false);
    expect(calls).toEqual(['rebind.test', 'mixed.test']);
  });

  it('pins the checked answer: a name that resolves public, then loopback, is never re-resolved', async () => {
    let calls = 0;
    const resolve = async () => (calls++ === 0 ? [{ address: '8.8.8.8', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
    // The public address is not reachable from a test machine (or answers nothing useful on
    // this port): whatever happens there, the loopback answer is never connected to.
    await get(`http://flip.test:${target.port}/`, { resolve, timeoutMs: 1000 }).catch(() => undefined);
    expect(calls).toBe(1);
  });

  it('checks every redirect hop: an allow-listed host cannot bounce the request to the listener', async () => {
    for (const to of [...disguises(target.port), `http://10.0.0.1:${target.port}/`, `http://[::1]:${target6?.port ?? target.port}/`]) {
      const err = await caught(get(`${relayUrl()}/go?to=${encodeURIComponent(to)}`));
      expect([to, err.sent, /^Refusing to connect/.test(err.message)]).toEqual([to, true, true]);
    }
  });

  it('follows at most 5 redirects', async () => {
    expect((await get(`${relayUrl()}/chain/0/5`)).body.toString()).toBe('end of chain');
    expect((await caught(get(`${relayUrl()}/chain/0/6`))).message).toMatch(/redirected more than 5 times/);
  });

  it('fetches only http and https, directly or by redirect', async () => {
    for (const url of [
      'file:///etc/passwd',
      'ftp://127.0.0.1/',
      'gopher://127.0.0.1:70/',
      'data:text/plain,hi',
      'http://user:pw@example.com/',
    ]) {
      expect((await caught(get(url))).sent).toBe(false);
    }
    for (const to of ['file:///etc/passwd', 'gopher://127.0.0.1:70/_x']) {
      expect((await caught(get(`${relayUrl()}/go?to=${encodeURIComponent(to)}`))).message).toMatch(
        /redirected to a (file|gopher): URL; not followed/,
      );
    }
  });

  it('lets through exactly the allow-listed host:port, in any case, and nothing else on that host', async () => {
    const err = await caught(get(`http://127.0.0.1:${target.port}/`, { allow: [`127.0.0.1:${target.port + 1}`, '127.0.0.1:80'] }));
    expect(err.message).toContain(`add 127.0.0.1:${target.port} to`);
    expect(parseAllowEntry('LOCALHOST:8188')).toEqual({ key: 'localhost:8188' });
    expect(parseAllowEntry('[::1]:8188')).toEqual({ key: '[::1]:8188' });
    expect(parseAllowEntry('2130706433:8188')).toEqual({ key: '127.0.0.1:8188' });
    for (const bad of ['127.0.0.1', 'comfy.lan', 'http://x:1', 'a:99999', '::1:8188'])
      expect(parseAllowEntry(bad), bad).toHaveProperty('error');
  });

  it('reads OUTBOUND_ALLOW_HOSTS as host:port pairs and refuses to start on a bare host', () => {
    const before = process.env.OUTBOUND_ALLOW_HOSTS;
    try {
      process.env.OUTBOUND_ALLOW_HOSTS = ' Comfy.LAN:8188 , 127.0.0.1:4501';
      resetEnvCache();
      expect(env().OUTBOUND_ALLOW_HOSTS).toEqual(['comfy.lan:8188', '127.0.0.1:4501']);
      process.env.OUTBOUND_ALLOW_HOSTS = '127.0.0.1';
      resetEnvCache();
      expect(() => env()).toThrow(/OUTBOUND_ALLOW_HOSTS: "127\.0\.0\.1" is not host:port/);
    } finally {
      process.env.OUTBOUND_ALLOW_HOSTS = before;
      resetEnvCache();
    }
  });
});

describe('API calls and hostile answers', () => {
  it('does not follow a 307 on a POST to another origin: the key in the body goes nowhere else', async () => {
    const undo = [allowOutbound(relayUrl()), allowOutbound(`http://127.0.0.1:${other.port}`)];
    try {
      const key = 'modelslab-key-0123456789';
      const to = encodeURIComponent(`http://127.0.0.1:${other.port}/steal`);
      const err = await caught(
        request(
          `${relayUrl()}/go?status=307&to=${to}`,
          { method: 'POST', body: JSON.stringify({ key }) },
          { signal: new AbortController().signal, secrets: [key] },
        ),
      );
      expect([err.code, err.httpStatus, err.sent]).toEqual(['provider_error', 307, true]);
      expect(err.message).toMatch(/redirected to another origin \(127\.0\.0\.1:\d+\); not followed/);
      expect(other.connections).toBe(0);
      // Within the origin a 307 resends method and body, as it must.
      const same = await request(
        `${relayUrl()}/go?status=307&to=%2Fecho`,
        { method: 'POST', body: '{}' },
        { signal: new AbortController().signal },
      );
      expect(same.json).toEqual({ method: 'POST' });
      expect(relay.requests.at(-1)?.body).toBe('{}');
    } finally {
      for (const u of undo) u();
    }
  });

  it('gives up on a body dripping one byte a second at the deadline, as a timeout', async () => {
    const started = Date.now();
    const err = await caught(get(`${relayUrl()}/drip`, { timeoutMs: 1500 }));
    expect([err.code, err.sent]).toEqual(['timeout', true]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stops a 61 MB output sent without a length at the 60 MB cap', async () => {
    const undo = allowOutbound(relayUrl());
    try {
      const err = await caught(fetchOutput(`${relayUrl()}/huge`, new AbortController().signal));
      expect(err.message).toMatch(/larger than 60 MB/);
    } finally {
      undo();
    }
  });

  it('caps a gzip bomb on what it inflates to, not on what crossed the wire', async () => {
    expect(gzipBomb.length).toBeLessThan(1024 * 1024);
    // A generous deadline: the machine may be busy with other test files; the cap is what is tested.
    const err = await caught(get(`${relayUrl()}/gzip-bomb`, { timeoutMs: 15_000 }));
    expect(err.message).toMatch(/larger than 60 MB/);
  });

  it('stops a never-ending JSON answer at the API cap', async () => {
    const undo = allowOutbound(relayUrl());
    try {
      const err = await caught(
        request(`${relayUrl()}/endless-json`, { method: 'GET' }, { signal: new AbortController().signal, maxBytes: 8 * 1024 * 1024 }),
      );
      expect(err.message).toMatch(/larger than 8 MB/);
    } finally {
      undo();
    }
  });

  it('says whether a failure could have reached the server (sent), and never throws a raw error', async () => {
    const closed = await listen('127.0.0.1');
    const port = closed.port;
    await new Promise<void>((r) => closed.server.close(() => r()));
    const refused = await caught(get(`http://127.0.0.1:${port}/`, { allow: [`127.0.0.1:${port}`] }));
    expect([refused.code, refused.sent, refused.message]).toEqual([
      'provider_error',
      false,
      expect.stringMatching(/^Could not reach 127\.0\.0\.1:\d+: .*ECONNREFUSED/),
    ]);
    const nxdomain = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
    };
    expect((await caught(get('http://nowhere.test/', { resolve: nxdomain }))).sent).toBe(false);
    // TLS to a plain-HTTP server fails in the handshake, before a byte of the request is sent.
    expect((await caught(get(`https://127.0.0.1:${relay.port}/`))).sent).toBe(false);
    const cancelled = new AbortController();
    cancelled.abort();
    expect(await caught(get(`${relayUrl()}/`, { signal: cancelled.signal }))).toMatchObject({ code: 'interrupted', sent: false });
    // After the connection is up, the server may have acted on the request.
    expect((await caught(get(`${relayUrl()}/reset`))).sent).toBe(true);
    const half = await caught(get(`${relayUrl()}/half`));
    expect([half.code, half.sent]).toEqual(['provider_error', true]);
    expect(half.message).toMatch(/broke while reading the answer/);
  });
});

describe('the listener is a fair witness', () => {
  it('counts a connection when its host:port is allow-listed (so the zeros above mean something)', async () => {
    const res = await get(`http://127.0.0.1:${target.port}/`, { allow: [`127.0.0.1:${target.port}`] });
    expect(res.body.toString()).toBe('reached');
    expect(target.connections).toBe(1);
    target.connections = 0;
  });
});

describe('the block list (IANA special-purpose registries)', () => {
  const blocked = [
    '169.254.169.254',
    '192.0.0.192',
    '100.100.100.200',
    'fe90::1',
    'fec0::1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::',
    '224.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
    '::ffff:a9fe:a9fe',
    '::ffff:127.0.0.1',
    '0.0.0.0',
    '::',
    '::1',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '127.255.255.254',
    '192.0.2.5',
    '198.51.100.5',
    '203.0.113.5',
    '192.88.99.1',
    '240.0.0.1',
    'fd00::1',
    'fc00::1',
    'fe80::1',
    'ff02::1',
    '2001:db8::1',
    '2001::1',
    '2001:2::1',
    '64:ff9b:1::1',
    '::7f00:1',
    '::ffff:0:7f00:1',
    '3fff::1',
    '5f00::1',
    '100::1',
    '2002:c0a8:101::',
    '64:ff9b::192.168.0.1',
    '::ffff:10.0.0.1',
    '4000::1',
    'FE80::1',
  ];
  const open = [
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '198.20.0.1',
    '192.0.1.1',
    '2606:4700::1111',
    '2a00:1450:4001::1',
    '64:ff9b::808:808',
    '2002:808:808::',
    '::ffff:8.8.8.8',
  ];

  it.each(blocked)('blocks %s', (a) => expect(blockedReason(a)).toBeDefined());
  it.each(open)('lets %s through', (a) => expect(blockedReason(a)).toBeUndefined());

  it('names the range it matched, through an embedded IPv4 address too', () => {
    expect(blockedReason('169.254.169.254')).toBe('link-local');
    expect(blockedReason('::ffff:7f00:1')).toBe('loopback, inside IPv4-mapped IPv6');
    expect(blockedReason('64:ff9b::7f00:1')).toBe('loopback, inside NAT64');
    expect(blockedReason('2002:7f00:1::')).toBe('loopback, inside 6to4');
    expect(blockedReason('100.100.100.200')).toBe('shared address space (CGNAT)');
    expect(blockedReason('not-an-ip')).toBe('not an IP address');
  });
});
