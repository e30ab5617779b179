import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CliError, EXIT } from './exit-codes.mts';

export const STATE_FILE = '.proofsheet-batch.json';

/**
 * What a batch has done so far, kept in its out dir so the same command picks up where it
 * stopped: inputs' sha256 → asset id, the server batch (or one run per input when the server
 * has no batches), and every output already on disk.
 */
export type BatchState = {
  version: 1;
  server: string;
  optionsKey: string;
  mode?: 'batch' | 'runs';
  uploads: Record<string, string>;
  /** Inputs the server refused (sha256 → why): failed items, not retried on resume. */
  rejected?: Record<string, string>;
  batchId?: string;
  sessionId?: string;
  runs: Record<string, string>;
  downloads: Record<string, string>;
};

export async function loadState(out: string, server: string, optionsKey: string): Promise<BatchState> {
  const file = path.join(out, STATE_FILE);
  if (!existsSync(file)) return { version: 1, server, optionsKey, uploads: {}, runs: {}, downloads: {} };
  const state = JSON.parse(await readFile(file, 'utf8')) as BatchState;
  if (state.server !== server || state.optionsKey !== optionsKey)
    throw new CliError(
      `${file} belongs to another batch (other server, folder or options). Use another --out, or delete that file to start over.`,
      EXIT.usage,
    );
  return state;
}

/** Written to a temporary file and renamed: a kill mid-write never leaves half a state. */
export async function saveState(out: string, state: BatchState): Promise<void> {
  const file = path.join(out, STATE_FILE);
  await writeFile(`${file}.tmp`, JSON.stringify(state, null, 1));
  await rename(`${file}.tmp`, file);
}

export type ManifestRow = {
  input: string;
  output: string | null;
  target: string;
  seed: number | null;
  costUsd: number | null;
  finishedAt: string | null;
  status: string;
  error: string | null;
};

export async function writeManifest(out: string, rows: ManifestRow[]): Promise<void> {
  await writeFile(path.join(out, 'manifest.json'), `${JSON.stringify({ items: rows }, null, 2)}\n`);
  const cols = ['input', 'output', 'target', 'seed', 'costUsd', 'finishedAt', 'status', 'error'] as const;
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const csv = [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n');
  await writeFile(path.join(out, 'manifest.csv'), `${csv}\n`);
}
