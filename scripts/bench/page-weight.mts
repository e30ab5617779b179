/**
 * Weighs pages of a running `next start` as a browser gets them: each URL fetched with the
 * browser's Accept-Encoding over plain node:http (so the bytes counted are the compressed
 * bytes on the wire), timed to the first byte and to the last. No app modules are loaded here.
 */
import fs from 'node:fs';
import http from 'node:http';
import { median } from './report.mts';

export type Fetched = {
  status: number;
  ttfbMs: number;
  totalMs: number;
  wireBytes: number;
  bodyBytes: number;
  encoding: string;
  location?: string;
  body: string;
};

const ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

/** One GET, body decompressed for inspection; wireBytes is what crossed the socket (body only). */
export function get(url: string, headers: Record<string, string> = {}): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(
      url,
      { headers: { 'accept-encoding': ACCEPT_ENCODING, accept: 'text/html,*/*', ...headers }, agent: false },
      (res) => {
        const ttfbMs = performance.now() - t0;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', async () => {
          const totalMs = performance.now() - t0;
          const wire = Buffer.concat(chunks);
          const encoding = String(res.headers['content-encoding'] ?? 'identity');
          resolve({
            status: res.statusCode ?? 0,
            ttfbMs,
            totalMs,
            wireBytes: wire.length,
            encoding,
            location: res.headers.location,
            ...(await decode(wire, encoding)),
          });
        });
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error(`${url} took more than 60 s`)));
    req.on('error', reject);
  });
}

async function decode(wire: Buffer, encoding: string): Promise<{ body: string; bodyBytes: number }> {
  const zlib = await import('node:zlib');
  const raw =
    encoding === 'gzip'
      ? zlib.gunzipSync(wire)
      : encoding === 'br'
        ? zlib.brotliDecompressSync(wire)
        : encoding === 'deflate'
          ? zlib.inflateSync(wire)
          : encoding === 'zstd' && 'zstdDecompressSync' in zlib
            ? (zlib as unknown as { zstdDecompressSync: (b: Buffer) => Buffer }).zstdDecompressSync(wire)
            : wire;
  return { body: raw.toString('utf8'), bodyBytes: raw.length };
}

export type Weighed = {
  url: string;
  status: number;
  ttfbMs: number;
  totalMs: number;
  wireBytes: number;
  bodyBytes: number;
  encoding: string;
  location?: string;
  body: string;
};

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc (Linux); undefined
 * elsewhere. On a busy machine wall time says as much about the neighbours as about the page;
 * the server's own CPU per request does not.
 */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100;

/**
 * A warm-up, then `runs` timed fetches; times are medians, sizes from the last fetch, and
 * `cpuMs` the server's CPU per request (when its pid is given), averaged over the runs.
 */
export async function weigh(
  url: string,
  runs: number,
  headers: Record<string, string> = {},
  pid?: number,
): Promise<Weighed & { cpuMs?: number }> {
  let last = await get(url, headers);
  const ttfb: number[] = [];
  const total: number[] = [];
  const cpu0 = cpuMs(pid);
  for (let i = 0; i < runs; i++) {
    last = await get(url, headers);
    ttfb.push(last.ttfbMs);
    total.push(last.totalMs);
  }
  const cpu1 = cpuMs(pid);
  const cpu = cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / runs : undefined;
  return { ...last, url, ttfbMs: median(ttfb), totalMs: median(total), cpuMs: cpu };
}

/** The RSC payload a client-side navigation to `path` fetches (the App Router's `RSC: 1` request). */
export const RSC_HEADERS = { rsc: '1', accept: 'text/x-component' };

/** Scripts and stylesheets a document loads (cached after the first visit, so reported apart). */
export function staticAssets(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<script[^>]+src="([^"]+)"/g)) out.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"/g)) out.add(m[1]!);
  for (const m of html.matchAll(/<link[^>]+href="([^"]+)"[^>]+rel="stylesheet"/g)) out.add(m[1]!);
  return [...out].map((s) => s.replaceAll('&amp;', '&'));
}

/** Image URLs the document itself names (what the first screen can start loading). */
export function imageUrls(html: string): string[] {
  return [...html.matchAll(/<img[^>]+src="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
}

export const kb = (bytes: number) => bytes / 1024;
