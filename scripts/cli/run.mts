import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type ApiRun, idempotencyKeyFor, outputName, type RunOptions, runBody, TERMINAL, uploadImage } from './api.mts';
import { type Client, httpStatus, sleep } from './client.mts';
import { CliError, EXIT } from './exit-codes.mts';
import type { Progress } from './progress.mts';

export const POLL_MS = Number(process.env.PROOFSHEET_POLL_MS) || 1000;

/** `proofsheet run`: upload, create (idempotent on its inputs), wait, download. */
export async function runCommand(client: Client, images: string[], options: RunOptions, out: string, progress: Progress) {
  progress.start(images.length, 'upload');
  const assets: { id: string; sha256: string }[] = [];
  for (const image of images) {
    if (!existsSync(image)) throw new CliError(`No such file: ${image}`, EXIT.notFound);
    assets.push(await uploadImage(client, image));
    progress.update(assets.length);
  }
  const key = idempotencyKeyFor('run', { refs: assets.map((a) => a.sha256), ...options });
  const created = await client.json<ApiRun>(
    'POST',
    '/api/v1/runs',
    runBody(
      assets.map((a) => a.id),
      options,
    ),
    { 'idempotency-key': key },
  );
  const run = await waitForRun(client, created.id, progress);
  const files = await downloadRun(client, run, out, progress);
  return { run, files, failed: run.variations.filter((v) => v.status !== 'succeeded').length };
}

export async function waitForRun(client: Client, runId: string, progress: Progress): Promise<ApiRun> {
  let run = await client.json<ApiRun>('GET', `/api/v1/runs/${encodeURIComponent(runId)}`);
  progress.start(run.variations.length, 'render');
  while (!run.finished) {
    progress.update(run.variations.filter((v) => TERMINAL.has(v.status)).length);
    await sleep(POLL_MS);
    run = await client.json<ApiRun>('GET', `/api/v1/runs/${encodeURIComponent(runId)}`);
  }
  progress.update(run.variations.length);
  return run;
}

/** Downloads every succeeded output not already on disk; returns the files, by variation. */
export async function downloadRun(client: Client, run: ApiRun, out: string, progress: Progress) {
  await mkdir(out, { recursive: true });
  const done = run.variations.filter((v) => v.status === 'succeeded' && v.outputUrl);
  progress.start(done.length, 'download');
  const files: { variationId: string; targetId: string; seed: number; file: string; costUsd: number | null }[] = [];
  const seen = new Map<string, number>();
  for (const v of done) {
    const base = `${v.targetId}-${v.seed}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    const file = path.join(out, outputName(run.id, v, n));
    if (!existsSync(file)) await client.download(v.outputUrl!, file);
    files.push({ variationId: v.id, targetId: v.targetId, seed: v.seed, file, costUsd: v.costUsd });
    progress.update(files.length);
  }
  progress.stop();
  return files;
}

/** `proofsheet status ID`: a run, else a batch; both 404 → not found. */
export async function statusOf(client: Client, id: string): Promise<{ kind: 'run' | 'batch'; value: unknown }> {
  try {
    return { kind: 'run', value: await client.json('GET', `/api/v1/runs/${encodeURIComponent(id)}`) };
  } catch (e) {
    if (httpStatus(e) !== 404) throw e;
  }
  try {
    return { kind: 'batch', value: await client.json('GET', `/api/v1/batches/${encodeURIComponent(id)}`) };
  } catch (e) {
    if (httpStatus(e) === 404) throw new CliError(`No run or batch ${id}.`, EXIT.notFound);
    throw e;
  }
}
