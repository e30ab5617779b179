import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir({ OUTBOUND_ALLOW_HOSTS: '127.0.0.1' });
const { fetchOutput, isPrivateAddress } = await import('./fetch-output');

let base = '';
const server = http.createServer((req, res) => {
  if (req.url === '/image') return res.end(Buffer.from('PNGBYTES'));
  if (req.url === '/hop') return res.writeHead(302, { location: '/image' }).end();
  if (req.url === '/to-private') return res.writeHead(302, { location: 'http://10.1.2.3/secret' }).end();
  if (req.url === '/to-localhost') return res.writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/image` }).end();
  if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
  res.writeHead(404).end();
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const signal = () => new AbortController().signal;
const failure = (p: Promise<unknown>) => p.then(() => null, (e: Error & { code?: string }) => e);

describe('fetchOutput', () => {
  it('downloads from an allow-listed host and follows redirects on it', async () => {
    expect((await fetchOutput(`${base}/image`, signal())).bytes.toString()).toBe('PNGBYTES');
    expect((await fetchOutput(`${base}/hop`, signal())).bytes.toString()).toBe('PNGBYTES');
  });

  it('refuses a redirect to a private or non-allow-listed loopback host', async () => {
    expect((await failure(fetchOutput(`${base}/to-private`, signal())))?.message).toMatch(/private address \(10\.1\.2\.3\)/);
    expect((await failure(fetchOutput(`${base}/to-localhost`, signal())))?.message).toMatch(/private address \(localhost\)/);
  });

  it('says an expired link expired, and stops redirect loops', async () => {
    const gone = await failure(fetchOutput(`${base}/missing`, signal()));
    expect(gone?.code).toBe('provider_error');
    expect(gone?.message).toContain('HTTP 404 (it may have expired');
    expect((await failure(fetchOutput(`${base}/loop`, signal())))?.message).toBe('The output link redirected too many times.');
    expect((await failure(fetchOutput('file:///etc/passwd', signal())))?.message).toMatch(/scheme file:/);
  });

  it('knows private ranges', () => {
    for (const a of ['10.0.0.1', '127.0.0.1', '169.254.169.254', '172.16.0.1', '192.168.1.1', '::1', 'fd00::1', '::ffff:127.0.0.1']) expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '172.32.0.1', '2606:4700::1111']) expect(isPrivateAddress(a), a).toBe(false);
  });
});
