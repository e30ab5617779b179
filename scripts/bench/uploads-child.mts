/**
 * The uploads bench, run in a fresh process by uploads.mts (so RSS starts from a known
 * baseline) against the real route handlers: POST /api/uploads and GET /api/health.
 * Prints one `RESULT {json}` line.
 */
import sharp from 'sharp';
import { countingStream, FORM_TYPE, fileHead, multipart } from '@/lib/server/hardening/upload-fixtures';

const { POST } = await import('@/app/api/uploads/route');
const { GET: health } = await import('@/app/api/health/route');
const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const headers = { 'content-type': FORM_TYPE, host: '127.0.0.1:3000', 'x-proofsheet': '1', 'sec-fetch-site': 'same-origin' };
const post = (body: BodyInit) =>
  POST(new Request('http://127.0.0.1:3000/api/uploads', { method: 'POST', body, headers, duplex: 'half' } as RequestInit));
const upload = (bytes: Buffer, name: string) =>
  post(new Uint8Array(multipart([{ name: 'file', filename: name, type: 'image/png', body: bytes }])));

// Warm up every path the measurements take (modules, sharp, the database, a refusal).
const warm = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#888888' } })
  .png()
  .toBuffer();
await upload(warm, 'warm.png');
await health();
{
  const { stream } = countingStream(fileHead('warm.png'), 12 * MB);
  await post(stream);
  await sleep(200);
}

// 1. A chunked 1 GB upload: the most RSS rises while it is read, refused and drained.
gc();
await sleep(100);
const baseline = process.memoryUsage().rss;
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const { stream, state } = countingStream(fileHead('huge.png'), 1024 * MB, { fresh: true });
const started = performance.now();
const res = await post(stream);
const refusedAfterMs = performance.now() - started;
const readAtRefusal = state.pulled;
for (let i = 0; i < 100 && !state.cancelled; i++) await sleep(20);
clearInterval(sampler);
const chunked = {
  status: res.status,
  rssGrowthMb: (peak - baseline) / MB,
  readAtRefusalMb: readAtRefusal / MB,
  readTotalMb: state.pulled / MB,
  refusedAfterMs,
};

// 2. /api/health while eight bombs decode: 16-bit interlaced 2800² PNGs (~100 KB each, just
// under their 8 MP cap, ~63 MB each to decode), all posted at once.
const bomb = await sharp({ create: { width: 2800, height: 2800, channels: 4, background: '#336699' } })
  .toColourspace('rgb16')
  .png({ progressive: true, compressionLevel: 9 })
  .toBuffer();
async function healthLatencies(until: () => boolean): Promise<number[]> {
  const out: number[] = [];
  while (!until()) {
    const t = performance.now();
    await health();
    out.push(performance.now() - t);
    await sleep(20);
  }
  return out;
}
const idleEnd = performance.now() + 1000;
const idle = await healthLatencies(() => performance.now() > idleEnd);
let done = false;
const bombsStarted = performance.now();
const uploads = Promise.all(Array.from({ length: 8 }, (_, i) => upload(bomb, `bomb-${i}.png`))).then((r) => {
  done = true;
  return r;
});
const loaded = await healthLatencies(() => done);
const statuses = (await uploads).map((r) => r.status);
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.95))] ?? 0;
const bombs = {
  statuses,
  bombBytes: bomb.length,
  decodeMs: performance.now() - bombsStarted,
  samples: loaded.length,
  p95Ms: p95(loaded),
  idleP95Ms: p95(idle),
};

console.log(`RESULT ${JSON.stringify({ chunked, bombs })}`);
process.exit(0);
