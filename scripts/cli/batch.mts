import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type ApiRun,
  type ApiVariation,
  IMAGE_EXTENSIONS,
  idempotencyKeyFor,
  outputName,
  type RunOptions,
  runBody,
  sha256,
  TERMINAL,
  uploadImage,
} from './api.mts';
import { loadState, type ManifestRow, saveState, writeManifest } from './batch-state.mts';
import { type Client, httpStatus, sleep } from './client.mts';
import { CliError, EXIT } from './exit-codes.mts';
import type { Progress } from './progress.mts';
import { POLL_MS } from './run.mts';

type Input = { file: string; sha: string };
type Item = { input: Input; variations: ApiVariation[]; finished: boolean; error?: string };
type ApiBatch = {
  id: string;
  status: string;
  items: { position: number; referenceId: string; fileName?: string; status: string; variations: ApiVariation[] }[];
};

const DONE_STATUSES = new Set([...TERMINAL, 'completed', 'done', 'finished']);

/** `proofsheet batch DIR`: every image in DIR through one instruction; resumable from its out dir. */
export async function batchCommand(client: Client, dir: string, options: RunOptions, out: string, progress: Progress) {
  const inputs = await listInputs(dir, out);
  await mkdir(out, { recursive: true });
  const optionsKey = sha256(JSON.stringify({ dir: path.resolve(dir), ...options }));
  const state = await loadState(out, client.server, optionsKey);
  const save = () => saveState(out, state);

  progress.start(inputs.length, 'upload');
  for (const [i, input] of inputs.entries()) {
    if (!state.uploads[input.sha] && !state.rejected?.[input.sha]) {
      try {
        state.uploads[input.sha] = (await uploadImage(client, input.file)).id;
      } catch (e) {
        // An image the server refuses (too small, not an image) fails its item, not the batch.
        if (!(e instanceof CliError) || e.exitCode !== EXIT.usage) throw e;
        state.rejected = { ...state.rejected, [input.sha]: e.message };
      }
      await save();
    }
    progress.update(i + 1);
  }

  const rejected = state.rejected ?? {};
  const accepted = inputs.filter((i) => !rejected[i.sha]);
  if (accepted.length === 0) throw new CliError(`The server refused every image: ${Object.values(rejected)[0]}`, EXIT.usage);
  const shas = accepted.map((i) => i.sha);
  if (state.mode !== 'runs' && !state.batchId) {
    try {
      const body = {
        ...runBody([], options),
        parameters: undefined,
        seed: options.seed,
        size: options.size,
        format: options.format,
        referenceIds: shas.map((s) => state.uploads[s]!),
        fileNames: accepted.map((i) => path.basename(i.file)),
      };
      const batch = await client.json<ApiBatch>('POST', '/api/v1/batches', body, {
        'idempotency-key': idempotencyKeyFor('batch', { shas, ...options }),
      });
      Object.assign(state, { mode: 'batch', batchId: batch.id });
    } catch (e) {
      // A server without batches: one run per image, each idempotent on its input and options.
      if (httpStatus(e) !== 404) throw e;
      state.mode = 'runs';
    }
    await save();
  }
  if (state.mode === 'runs') await createRuns(client, accepted, options, state, save, progress);

  progress.start(inputs.length, 'render');
  let items: Item[];
  for (;;) {
    items =
      state.mode === 'batch'
        ? await batchItems(client, state.batchId!, accepted, state.uploads)
        : await runItems(client, state.sessionId!, state.runs, accepted);
    await downloadNew(client, items, out, state, save);
    const finished = items.filter((i) => i.finished).length;
    progress.update(finished, `${Object.keys(state.downloads).length} downloaded`);
    if (finished === items.length) break;
    await sleep(POLL_MS);
  }
  progress.stop();

  const refusedItems = inputs
    .filter((i) => rejected[i.sha])
    .map((input) => ({ input, variations: [], finished: true, error: rejected[input.sha] }));
  const rows = manifestRows([...items, ...refusedItems], state.downloads, dir);
  await writeManifest(out, rows);
  const failed = rows.filter((r) => r.status !== 'succeeded').length;
  return {
    mode: state.mode,
    batchId: state.batchId,
    sessionId: state.sessionId,
    out,
    inputs: inputs.length,
    outputs: rows.length - failed,
    failed,
  };
}

async function listInputs(dir: string, out: string): Promise<Input[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new CliError(`No such folder: ${dir}`, EXIT.notFound);
  }
  const files = names
    .filter((n) => IMAGE_EXTENSIONS.has(path.extname(n).toLowerCase()))
    .sort()
    .map((n) => path.join(dir, n))
    .filter((f) => path.resolve(path.dirname(f)) !== path.resolve(out));
  if (files.length === 0) throw new CliError(`No images (png, jpg, webp) in ${dir}.`, EXIT.usage);
  return Promise.all(files.map(async (file) => ({ file, sha: sha256(await readFile(file)) })));
}

async function createRuns(
  client: Client,
  inputs: Input[],
  options: RunOptions,
  state: import('./batch-state.mts').BatchState,
  save: () => Promise<void>,
  progress: Progress,
) {
  progress.start(inputs.length, 'submit');
  for (const [i, { sha }] of inputs.entries()) {
    if (!state.runs[sha]) {
      // Every item after the first joins the first one's session: one place to look at the batch.
      const body = { ...runBody([state.uploads[sha]!], options), sessionId: state.sessionId };
      const key = idempotencyKeyFor('batch-item', { sha, sessionId: state.sessionId, ...options });
      const run = await client.json<ApiRun>('POST', '/api/v1/runs', body, { 'idempotency-key': key });
      state.runs[sha] = run.id;
      state.sessionId ??= run.sessionId;
      await save();
    }
    progress.update(i + 1);
  }
}

async function runItems(client: Client, sessionId: string, runIds: Record<string, string>, inputs: Input[]): Promise<Item[]> {
  const runs = new Map<string, ApiRun>();
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page: { runs: ApiRun[]; nextCursor: string | null } = await client.json(
      'GET',
      `/api/v1/sessions/${encodeURIComponent(sessionId)}/runs?limit=100${q}`,
    );
    for (const r of page.runs) runs.set(r.id, r);
    cursor = page.nextCursor;
  } while (cursor);
  return inputs.map((input) => {
    const run = runs.get(runIds[input.sha] ?? '');
    return { input, variations: run?.variations ?? [], finished: run?.finished ?? false };
  });
}

async function batchItems(client: Client, batchId: string, inputs: Input[], uploads: Record<string, string>): Promise<Item[]> {
  const batch = await client.json<ApiBatch>('GET', `/api/v1/batches/${encodeURIComponent(batchId)}`);
  const over = DONE_STATUSES.has(batch.status);
  return inputs.map((input, i) => {
    const assetId = uploads[input.sha];
    // By position (the order sent); the reference id guards against a server that numbers otherwise.
    const item =
      batch.items.find((it) => it.position === i && it.referenceId === assetId) ?? batch.items.find((it) => it.referenceId === assetId);
    const variations = item?.variations ?? [];
    const allDone = variations.length > 0 && variations.every((v) => TERMINAL.has(v.status));
    return { input, variations, finished: over || allDone || DONE_STATUSES.has(item?.status ?? '') };
  });
}

async function downloadNew(
  client: Client,
  items: Item[],
  out: string,
  state: import('./batch-state.mts').BatchState,
  save: () => Promise<void>,
) {
  for (const { input, variations } of items) {
    const seen = new Map<string, number>();
    for (const v of variations) {
      const base = `${v.targetId}-${v.seed}`;
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      if (v.status !== 'succeeded' || !v.outputUrl) continue;
      const recorded = state.downloads[v.id];
      if (recorded && existsSync(path.join(out, recorded))) continue;
      const name = outputName(path.parse(input.file).name, v, n);
      // Killed between the rename and the state write: the file is whole, only the record is missing.
      if (!existsSync(path.join(out, name))) await client.download(v.outputUrl, path.join(out, name));
      state.downloads[v.id] = name;
      await save();
    }
  }
}

function manifestRows(items: Item[], downloads: Record<string, string>, dir: string): ManifestRow[] {
  return items.flatMap(({ input, variations, error }): ManifestRow[] => {
    const inputName = path.relative(dir, input.file);
    if (variations.length === 0)
      return [
        {
          input: inputName,
          output: null,
          target: '',
          seed: null,
          costUsd: null,
          finishedAt: null,
          status: 'failed',
          error: error ?? 'not created',
        },
      ];
    return variations.map((v) => ({
      input: inputName,
      output: downloads[v.id] ?? null,
      target: v.targetId,
      seed: v.seed,
      costUsd: v.costUsd,
      finishedAt: v.finishedAt ?? null,
      status: v.status,
      error: v.errorMessage ?? null,
    }));
  });
}
