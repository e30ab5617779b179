/**
 * Fan-out latency (issue "The run engine"): one instruction to 8 vendors × 2 variations, every
 * fake job taking a fixed 4 s of wall time after its submit (FakeFaults.jobMs), as a real
 * vendor's does however often it is polled. Reported: click → all 16 shown on the session's
 * event stream, ÷ the 4 s of provider time. The first round runs with no latency history
 * (each vendor polled at its adapter's own pace, as before the latency-driven schedule); the
 * later ones poll around each target's median. The fakes run here, the app in fanout-child.mts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startAtlasCloudFake } from '../../e2e/fakes/atlascloud';
import { startComfyuiFake } from '../../e2e/fakes/comfyui';
import { startDashScopeFake } from '../../e2e/fakes/dashscope';
import { startFalFake } from '../../e2e/fakes/fal';
import { startKieFake } from '../../e2e/fakes/kie';
import type { FakeServer } from '../../e2e/fakes/kit';
import { startModelsLabFake } from '../../e2e/fakes/modelslab';
import { startReplicateFake } from '../../e2e/fakes/replicate';
import { startWaveSpeedFake } from '../../e2e/fakes/wavespeed';
import { median, report } from './report.mts';

const JOB_MS = 4000;
/** Rounds after the first that build each target's history (its first spans are the adapters' pace, long). */
const LEARNING_ROUNDS = 3;
const MEASURED_ROUNDS = 3;
const KEY = 'bench-key-0123456789';
const TARGETS = [
  'wavespeed:alibaba/wan-2.7/image-edit',
  'dashscope:wanx2.1-imageedit',
  'kie:wan/2-7-image',
  'modelslab:wan-2.7-i2i',
  'replicate:black-forest-labs/flux-kontext-pro',
  'fal:fal-ai/flux-pro/kontext',
  'atlascloud:alibaba/wan-2.7/image-edit',
  'comfyui:workflow',
];

type Round = { clickToAllShownMs: number; providerMsMedian: number; thumbsReady: number };

export async function benchFanout(): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = path.resolve(here, '../..');
  const [wavespeed, dashscope, kie, modelslab, replicate, fal, atlascloud, comfyui] = await Promise.all([
    startWaveSpeedFake(),
    startDashScopeFake(),
    startKieFake(),
    startModelsLabFake(),
    startReplicateFake(),
    startFalFake(),
    startAtlasCloudFake(),
    startComfyuiFake(0, { token: KEY }),
  ]);
  const fakes: FakeServer[] = [wavespeed!, dashscope!, kie!, modelslab!, replicate!, fal!, atlascloud!, comfyui!];
  for (const f of fakes) f.setFaults({ jobMs: JOB_MS });
  const env = {
    ...process.env,
    DATA_DIR: mkdtempSync(path.join(process.env.DATA_DIR!, 'fanout-')),
    WORKER_LEASE_MS: '30000',
    OUTBOUND_ALLOW_HOSTS: fakes.map((f) => new URL(f.url).host).join(','),
    WAVESPEED_BASE_URL: wavespeed!.url,
    WAVESPEED_API_KEY: KEY,
    DASHSCOPE_BASE_URL: `${dashscope!.url}/api/v1`,
    DASHSCOPE_API_KEY: KEY,
    KIE_BASE_URL: kie!.url,
    KIE_API_KEY: KEY,
    MODELSLAB_BASE_URL: modelslab!.url,
    MODELSLAB_API_KEY: KEY,
    REPLICATE_BASE_URL: `${replicate!.url}/v1`,
    REPLICATE_API_TOKEN: KEY,
    FAL_QUEUE_BASE_URL: fal!.url,
    FAL_STORAGE_BASE_URL: fal!.url,
    FAL_KEY: 'bench-id:bench-secret',
    ATLASCLOUD_BASE_URL: atlascloud!.url,
    ATLASCLOUD_API_KEY: KEY,
    COMFYUI_BASE_URL: comfyui!.url,
    COMFYUI_API_KEY: KEY,
    COMFYUI_WORKFLOW: path.join(root, 'lib/server/providers/comfyui/workflow.example.json'),
    FANOUT_TARGETS: JSON.stringify(TARGETS),
    FANOUT_ROUNDS: String(1 + LEARNING_ROUNDS + MEASURED_ROUNDS),
    FANOUT_DEBUG: process.env.FANOUT_DEBUG ?? '',
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--require', path.join(here, 'server-only-stub.cjs'), '--import', 'tsx', path.join(here, 'fanout-child.mts')],
      { env, cwd: root, maxBuffer: 16 * 1024 * 1024 },
    );
    // FANOUT_DEBUG=1: per variation, ms from the click to claimed, submit-started, stored and shown.
    if (env.FANOUT_DEBUG) console.error(stderr);
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`fan-out bench printed no result:\n${stdout}`);
    const { rounds } = JSON.parse(line.slice('RESULT '.length)) as { rounds: Round[] };
    const cold = rounds[0]!;
    const warm = rounds.slice(1 + LEARNING_ROUNDS);
    const polls = fakes.reduce((n, f) => n + f.requests.filter((r) => r.method === 'GET' || r.path.includes('fetch')).length, 0);
    report(`fan-out 8 vendors × 2, ${JOB_MS / 1000} s per job: click → all 16 shown, no history`, cold.clickToAllShownMs, 'ms');
    report('  ratio to the provider time, no history (the adapters\u2019 own pace)', cold.clickToAllShownMs / JOB_MS, '×');
    const shown = median(warm.map((r) => r.clickToAllShownMs));
    console.log(
      `  the next ${LEARNING_ROUNDS} rounds, while each target's history builds: ${rounds
        .slice(1, 1 + LEARNING_ROUNDS)
        .map((r) => `${(r.clickToAllShownMs / JOB_MS).toFixed(2)}×`)
        .join(', ')}`,
    );
    report(`fan-out, polled around each target\u2019s median (median of ${warm.length} rounds)`, shown, 'ms');
    report('  ratio to the provider time (click → all shown ÷ 4 s)', shown / JOB_MS, '×', { max: 1.15 });
    report('  worst round', Math.max(...warm.map((r) => r.clickToAllShownMs)) / JOB_MS, '×');
    report('  thumbnails stored when shown (of 16, every round)', Math.min(...rounds.map((r) => r.thumbsReady)), 'n');
    report(`  vendor requests in all (${rounds.length} rounds × 16 jobs, submits and uploads included)`, polls, 'n');
  } finally {
    await Promise.all(fakes.map((f) => f.close()));
  }
}
