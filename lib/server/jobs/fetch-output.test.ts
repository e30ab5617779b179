import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

const server = http.createServer((req, res) => {
  const port = (server.address() as AddressInfo).port;
  if (req.url === '/image') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('PNGBYTES'));
  if (req.url === '/hop') return res.writeHead(302, { location: '/image' }).end();
  if (req.url === '/to-private') return res.writeHead(302, { location: 'http://10.1.2.3/secret' }).end();
  if (req.url === '/to-localhost') return res.writeHead(302, { location: `http://localhost:${port}/image` }).end();
  if (req.url === '/to-mapped') return res.writeHead(302, { location: `http://[::ffff:127.0.0.1]:${port}/image` }).end();
  if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
  res.writeHead(404).end();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
// Exactly this host:port: not localhost, not the same address by another name.
useTempDataDir({ OUTBOUND_ALLOW_HOSTS: new URL(base).host });
const { fetchOutput } = await import('./fetch-output');

beforeAll(() => undefined);
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const signal = () => new AbortController().signal;
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: Error & { code?: string; sent?: boolean; httpStatus?: number }) => e,
  );

describe('fetchOutput', () => {
  it('downloads from an allow-listed host:port and follows redirects on it', async () => {
    const direct = await fetchOutput(`${base}/image`, signal());
    expect([direct.bytes.toString(), direct.mime]).toEqual(['PNGBYTES', 'image/png']);
    expect((await fetchOutput(`${base}/hop`, signal())).bytes.toString()).toBe('PNGBYTES');
  });

  it('refuses a redirect to a private address, or to the same listener by another name', async () => {
    expect((await failure(fetchOutput(`${base}/to-private`, signal())))?.message).toMatch(
      /10\.1\.2\.3 is a special-purpose address \(private\)/,
    );
    const named = await failure(fetchOutput(`${base}/to-localhost`, signal()));
    expect(named?.message).toMatch(/Refusing to connect to localhost:\d+: .* \(loopback\)/);
    expect(named?.message).toContain('add localhost:');
    expect((await failure(fetchOutput(`${base}/to-mapped`, signal())))?.message).toMatch(/loopback, inside IPv4-mapped IPv6/);
  });

  it('says an expired link expired, and stops redirect loops and other schemes', async () => {
    const gone = await failure(fetchOutput(`${base}/missing`, signal()));
    expect([gone?.code, gone?.httpStatus, gone?.sent]).toEqual(['provider_error', 404, true]);
    expect(gone?.message).toContain('HTTP 404 (it may have expired');
    expect((await failure(fetchOutput(`${base}/loop`, signal())))?.message).toMatch(/redirected more than 5 times/);
    const file = await failure(fetchOutput('file:///etc/passwd', signal()));
    expect([file?.message, file?.sent]).toEqual(['Refusing a file: URL: only http and https are fetched.', false]);
  });
});
