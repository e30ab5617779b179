import sharp from 'sharp';
import { report } from './report.mts';

const ITEMS = Number(process.env.BENCH_BATCH_ITEMS ?? 500);

/**
 * A catalog batch against instant fakes (issue 13): ITEMS references, one instruction, two
 * fake vendors, fed by the batch feeder and run by the worker in this process. Reports items
 * per second and this process's CPU per item (the studio's own cost: the fakes answer at once
 * but run in the same process, so the CPU figure is an upper bound).
 */
export async function benchBatch(): Promise<void> {
  const { prepareImage } = await import('@/lib/server/images/prepare');
  const { storeAsset } = await import('@/lib/server/assets');
  const { ownerContext } = await import('@/lib/server/context');
  const { createBatch, feedAllBatches } = await import('@/lib/server/services/batches');
  const { startWorker, stopWorker, wakeWorker } = await import('@/lib/server/jobs/worker');
  const { db } = await import('@/lib/server/db/client');
  const ctx = ownerContext();

  const referenceIds: string[] = [];
  for (let i = 0; i < ITEMS; i++) {
    const png = await sharp({ create: { width: 96, height: 96, channels: 3, background: { r: i % 256, g: (i * 7) % 256, b: 90 } } })
      .png()
      .toBuffer();
    const prepared = await prepareImage(png, `item-${i}.png`);
    if (!prepared.ok) throw new Error(prepared.error.message);
    referenceIds.push((await storeAsset(prepared.image, 'upload')).id);
  }

  startWorker();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { batchId } = await createBatch(ctx, {
    instruction: 'make it warmer',
    targets: ['openai:gpt-image-1', 'together:black-forest-labs/FLUX.1-kontext-pro'],
    count: 1,
    seed: 7,
    referenceIds,
  });
  for (;;) {
    await feedAllBatches();
    wakeWorker();
    const open = await db().batchItem.count({ where: { batchId, status: { in: ['pending', 'submitted'] } } });
    if (open === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await stopWorker();
  const failed = await db().batchItem.count({ where: { batchId, status: { not: 'done' } } });
  report(`batch of ${ITEMS} references × 2 instant fakes: items per second`, ITEMS / seconds, 'n');
  report('  process CPU per item (studio + in-process fakes, upper bound)', (cpu.user + cpu.system) / 1000 / ITEMS, 'ms');
  report('  items not done', failed, 'n');
}
