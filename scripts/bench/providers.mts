import sharp from 'sharp';
import type { FakeServer } from '../../e2e/fakes/kit';
import { startOpenAIFake } from '../../e2e/fakes/openai';
import { startReplicateFake } from '../../e2e/fakes/replicate';
import { startStabilityFake } from '../../e2e/fakes/stability';
import { startTogetherFake } from '../../e2e/fakes/together';
import { median, report, time } from './report.mts';

const KEY = 'bench-key-0123456789';
let fakes: FakeServer[] = [];

/** Must run before anything reads env(): the app's adapters point at these fakes. */
export async function startBenchFakes(): Promise<void> {
  const [openai, together, stability, replicate] = await Promise.all([
    startOpenAIFake(),
    startTogetherFake(),
    startStabilityFake(),
    startReplicateFake(),
  ]);
  fakes = [openai, together, stability, replicate];
  Object.assign(process.env, {
    OPENAI_API_KEY: KEY,
    OPENAI_BASE_URL: `${openai.url}/v1`,
    TOGETHER_API_KEY: KEY,
    TOGETHER_BASE_URL: `${together.url}/v1`,
    STABILITY_API_KEY: KEY,
    STABILITY_BASE_URL: stability.url,
    REPLICATE_API_TOKEN: KEY,
    REPLICATE_BASE_URL: `${replicate.url}/v1`,
    // The fake finishes a prediction in its "8 s" model time: waiting that long makes it instant.
    REPLICATE_WAIT_SECONDS: '10',
    // The fakes are on loopback, which the address guard refuses unless named by host:port.
    OUTBOUND_ALLOW_HOSTS: fakes.map((f) => new URL(f.url).host).join(','),
  });
}

const TARGETS = [
  'openai:gpt-image-1',
  'together:black-forest-labs/FLUX.1-kontext-pro',
  'stability:sd3.5-large',
  'replicate:black-forest-labs/flux-kontext-pro',
];

/**
 * Overhead of the app (queue, lease, input adaptation, download, storage, renditions) over
 * calling the same instant fake directly with the adapter: one variation, then 16 variations
 * across 4 targets in parallel, as a ratio to the slowest single direct call.
 */
export async function benchProviderOverhead(): Promise<void> {
  const { getAdapter } = await import('@/lib/server/providers/registry');
  const { findTarget } = await import('@/lib/providers/catalog');
  const { prepareImage } = await import('@/lib/server/images/prepare');
  const { storeAsset } = await import('@/lib/server/assets');
  const { createSession } = await import('@/lib/server/services/sessions');
  const { submitRunAction: submitRun } = await import('@/lib/server/actions/runs');
  const { ownerContext } = await import('@/lib/server/context');
  const { db } = await import('@/lib/server/db/client');
  const { startWorker, wakeWorker, stopWorker } = await import('@/lib/server/jobs/worker');

  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024"><rect width="100%" height="100%" fill="#eeeeee"/><circle cx="512" cy="512" r="260" fill="#1971c2"/></svg>`;
  const png = await sharp(Buffer.from(svg)).png().toBuffer();
  const prepared = await prepareImage(png, 'ref.png');
  if (!prepared.ok) throw new Error(prepared.error.message);
  const asset = await storeAsset(prepared.image, 'upload');
  const input = {
    bytes: prepared.image.bytes,
    mime: 'image/png' as const,
    width: 1024,
    height: 1024,
    filename: 'image-1.png',
    sha256: asset.sha256,
  };

  const direct = async (targetId: string) => {
    const target = findTarget(targetId)!;
    const adapter = getAdapter(target.provider)!;
    const r = await adapter.submit(
      { model: target.model, prompt: 'make it warmer', images: [input], seed: 1, outputFormat: 'png', idempotencyKey: 'bench' },
      { signal: new AbortController().signal },
    );
    if (r.kind !== 'done') throw new Error(`${targetId} did not answer synchronously`);
    const first = r.images[0]!;
    if (!first.bytes) await (await fetch(first.url!)).arrayBuffer();
  };
  const sessionId = await createSession(ownerContext(), { title: 'bench providers' });
  startWorker();
  const viaApp = async (targets: string[], count: number) => {
    const r = await submitRun({ sessionId, instruction: 'make it warmer', referenceIds: [asset.id], targets, count, seed: 1 });
    if (!r.ok) throw new Error(r.error.message);
    wakeWorker();
    for (;;) {
      const rows = await db().variation.findMany({ where: { runId: r.data.runId }, select: { status: true, errorMessage: true } });
      const failed = rows.find((v) => v.status === 'failed');
      if (failed) throw new Error(`variation failed: ${failed.errorMessage}`);
      if (rows.every((v) => v.status === 'succeeded')) return;
      // The studio polls every 700 ms; 25 ms keeps the measurement fine without starving the worker.
      await new Promise((res) => setTimeout(res, 25));
    }
  };

  for (const t of TARGETS) await direct(t); // warm connections and caches
  const singleDirect: number[] = [];
  const singleApp: number[] = [];
  for (let i = 0; i < 5; i++) {
    singleDirect.push((await time(() => direct(TARGETS[0]!)))[0]);
    singleApp.push((await time(() => viaApp([TARGETS[0]!], 1)))[0]);
  }
  report('one variation, direct call to an instant fake (OpenAI)', median(singleDirect), 'ms');
  report('one variation through the app (submit → stored)', median(singleApp), 'ms');
  report('  overhead ratio, one variation', median(singleApp) / median(singleDirect), '×');

  const slowest: number[] = [];
  for (let i = 0; i < 3; i++) {
    const each = await Promise.all(TARGETS.map((t) => time(() => direct(t))));
    slowest.push(Math.max(...each.map(([ms]) => ms)));
  }
  const batchDirect: number[] = [];
  for (let i = 0; i < 3; i++)
    batchDirect.push((await time(() => Promise.all(TARGETS.flatMap((t) => [1, 2, 3, 4].map(() => direct(t))))))[0]);
  const fanout: number[] = [];
  for (let i = 0; i < 3; i++) fanout.push((await time(() => viaApp(TARGETS, 4)))[0]);
  report('slowest single direct call among the 4 targets', median(slowest), 'ms');
  report('16 variations across 4 targets through the app', median(fanout), 'ms');
  report('16 direct calls in parallel (the same work without the app)', median(batchDirect), 'ms');
  report('  ratio to the slowest single call', median(fanout) / median(slowest), '×', { max: 1.15 });
  report('  ratio to the same 16 direct calls', median(fanout) / median(batchDirect), '×', { max: 1.15 });
  await stopWorker();
  await Promise.all(fakes.map((f) => f.close()));
}
