import sharp from 'sharp';
import { median, report, time } from './report.mts';

/** A 2048² PNG of about 10 MB: mostly noise, so it compresses poorly, as a photo scan does. */
async function tenMegabytePng(): Promise<Buffer> {
  const w = 2048;
  const raw = Buffer.alloc(w * w * 3);
  let s = 0x9e3779b9;
  for (let i = 0; i < raw.length; i++) {
    // xorshift32: cheap noise. Six noisy low bits per byte land just under 10 MB as PNG.
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    raw[i] = (Math.floor(i / 3 / w) & 0xc0) | (s & 0x3f);
  }
  return sharp(raw, { raw: { width: w, height: w, channels: 3 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
}

export async function benchUploads(): Promise<void> {
  const { prepareImage } = await import('@/lib/server/images/prepare');
  const png = await tenMegabytePng();
  const jpeg = await sharp(png).jpeg({ quality: 100 }).toBuffer();
  // With EXIF the PNG must be re-encoded to strip it: the slow path.
  const tagged = await sharp(png)
    .png({ compressionLevel: 6 })
    .withExif({ IFD0: { Make: 'bench' } })
    .toBuffer();
  for (const [name, bytes] of [
    ['PNG, no metadata (kept as is)', png],
    ['PNG with EXIF (re-encoded)', tagged],
    ['JPEG', jpeg],
  ] as const) {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [ms, r] = await time(() => prepareImage(bytes, 'bench'));
      if (!r.ok) throw new Error(r.error.message);
      runs.push(ms);
    }
    report(`upload + renditions, ${(bytes.length / 1048576).toFixed(1)} MB 2048² ${name}`, median(runs), 'ms', { max: 400 });
  }
}

export async function benchEngine(): Promise<void> {
  const { runEngine } = await import('@/lib/server/engine');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024"><rect width="100%" height="100%" fill="#e9e7e2"/>
    <rect x="380" y="220" width="260" height="560" rx="40" fill="#2b8a3e"/></svg>`;
  const bytes = await sharp(Buffer.from(svg)).png().toBuffer();
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const [ms, r] = await time(() =>
      runEngine({
        instruction: 'replace the background with navy',
        seed: i,
        images: [{ bytes, width: 1024, height: 1024 }],
        outputFormat: 'png',
      }),
    );
    if (!r.ok) throw new Error(r.message);
    runs.push(ms);
  }
  report('engine background replace at 1024² (runEngine, PNG out)', median(runs), 'ms', { max: 300 });
}

/**
 * Submit → first variation stored and visible to the next poll, measured on the server
 * (the studio polls every 700 ms while a run is in flight, so add up to that on screen).
 */
export async function benchFirstVariation(): Promise<void> {
  const { prepareImage } = await import('@/lib/server/images/prepare');
  const { storeAsset } = await import('@/lib/server/assets');
  const { ownerContext } = await import('@/lib/server/context');
  const { createSession } = await import('@/lib/server/services/sessions');
  const { listRuns, submitRun } = await import('@/lib/server/services/runs');
  const ctx = ownerContext();
  const { startWorker, wakeWorker, stopWorker } = await import('@/lib/server/jobs/worker');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024"><rect width="100%" height="100%" fill="#eeeeee"/><circle cx="512" cy="512" r="260" fill="#c92a2a"/></svg>`;
  const prepared = await prepareImage(await sharp(Buffer.from(svg)).png().toBuffer(), 'ref.png');
  if (!prepared.ok) throw new Error(prepared.error.message);
  const asset = await storeAsset(prepared.image, 'upload');
  const sessionId = await createSession(ctx, { title: 'bench' });
  startWorker();
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await submitRun(ctx, {
      sessionId,
      instruction: 'replace the background with white studio',
      referenceIds: [asset.id],
      targets: ['offline:engine-v1'],
      count: 2,
      seed: i,
      size: 'auto',
      format: 'png',
      negativePrompt: '',
    });
    wakeWorker();
    for (;;) {
      const page = await listRuns(ctx, { sessionId }, 1);
      if (page.runs[0]?.variations.some((v) => v.status === 'succeeded')) break;
      await new Promise((res) => setTimeout(res, 5));
    }
    runs.push(performance.now() - t);
  }
  await stopWorker();
  report('submit → first engine variation stored and listed (server side)', median(runs), 'ms');
}
