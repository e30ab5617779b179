/**
 * Hostile uploads under measurement (issue "Perimeter and hostile input"): RSS growth while a
 * chunked 1 GB upload is refused, and /api/health p95 while eight decompression bombs decode.
 * Runs uploads-child.mts in its own process, with its own data folder, so RSS is its own.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { report } from './report.mts';

type Result = {
  chunked: { status: number; rssGrowthMb: number; readAtRefusalMb: number; readTotalMb: number; refusedAfterMs: number };
  bombs: { statuses: number[]; bombBytes: number; decodeMs: number; samples: number; p95Ms: number; idleP95Ms: number };
};

export async function benchUploadHardening(): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dataDir = mkdtempSync(path.join(process.env.DATA_DIR!, 'uploads-'));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--require', path.join(here, 'server-only-stub.cjs'), '--import', 'tsx', path.join(here, 'uploads-child.mts')],
    { env: { ...process.env, DATA_DIR: dataDir, WORKER_ENABLED: '0' }, maxBuffer: 16 * 1024 * 1024 },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`uploads bench printed no result:\n${stdout}`);
  const { chunked, bombs } = JSON.parse(line.slice('RESULT '.length)) as Result;
  if (chunked.status !== 413) throw new Error(`the 1 GB upload was answered ${chunked.status}, not 413`);
  report(`uploads: RSS growth, chunked 1 GB refused (413 after ${chunked.readAtRefusalMb.toFixed(1)} MB read)`, chunked.rssGrowthMb, 'MB', {
    max: 50,
  });
  report(`uploads: body read in all (refusal + drain, then cut off)`, chunked.readTotalMb, 'MB');
  const answered = [...new Set(bombs.statuses)].join('/');
  report(
    `uploads: /api/health p95, 8 bombs decoding (${Math.round(bombs.bombBytes / 1024)} KB each → ${answered}, n=${bombs.samples})`,
    bombs.p95Ms,
    'ms',
    { max: 500 },
  );
  report('uploads: /api/health p95 with nothing decoding', bombs.idleP95Ms, 'ms');
  report('uploads: eight bombs decoded, two at a time', bombs.decodeMs, 'ms');
}
