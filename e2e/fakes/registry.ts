/**
 * Every fake provider with a fixed port and the environment that points the app at it, with
 * canary keys: the keys test asserts these values never reach the browser, the log or the DB.
 */
import path from 'node:path';
import { startAtlasCloudFake } from './atlascloud';
import { startComfyuiFake } from './comfyui';
import { startDashScopeFake } from './dashscope';
import { startFalFake } from './fal';
import { startKieFake } from './kie';
import type { FakeServer } from './kit';
import { startModelsLabFake } from './modelslab';
import { startOpenAIFake } from './openai';
import { startReplicateFake } from './replicate';
import { startStabilityFake } from './stability';
import { startTogetherFake } from './together';
import { startWaveSpeedFake } from './wavespeed';

export const CANARY = {
  WAVESPEED_API_KEY: 'canary-wavespeed-5d1f0c9a7e',
  DASHSCOPE_API_KEY: 'sk-canary-dashscope-8b2e4f71',
  KIE_API_KEY: 'canary-kie-3c9a61d0b4',
  MODELSLAB_API_KEY: 'canary-modelslab-72e5a9c1',
  TOGETHER_API_KEY: 'canary-together-0f6b2d8e93',
  REPLICATE_API_TOKEN: 'r8_canaryReplicate4a7c2e19',
  FAL_KEY: 'canary-fal-id:canary-fal-secret-91d3',
  OPENAI_API_KEY: 'sk-canary-openai-6e0a4b7d2c',
  STABILITY_API_KEY: 'sk-canary-stability-1b8f3e5a',
  COMFYUI_API_KEY: 'canary-comfyui-proxy-4d2b7a',
  ATLASCLOUD_API_KEY: 'canary-atlascloud-9c4e2a7f1b',
} as const;

type Fake = { name: string; port: number; start: (port: number) => Promise<FakeServer>; env: (url: string) => Record<string, string> };

// Every runner (Playwright, tsx) starts from the repository root.
const root = process.cwd();

export const FAKES: Fake[] = [
  {
    name: 'wavespeed',
    port: 4501,
    start: startWaveSpeedFake,
    env: (u) => ({ WAVESPEED_BASE_URL: u, WAVESPEED_API_KEY: CANARY.WAVESPEED_API_KEY }),
  },
  {
    name: 'dashscope',
    port: 4502,
    start: startDashScopeFake,
    env: (u) => ({ DASHSCOPE_BASE_URL: `${u}/api/v1`, DASHSCOPE_API_KEY: CANARY.DASHSCOPE_API_KEY }),
  },
  { name: 'kie', port: 4503, start: startKieFake, env: (u) => ({ KIE_BASE_URL: u, KIE_API_KEY: CANARY.KIE_API_KEY }) },
  {
    name: 'modelslab',
    port: 4504,
    start: startModelsLabFake,
    env: (u) => ({ MODELSLAB_BASE_URL: u, MODELSLAB_API_KEY: CANARY.MODELSLAB_API_KEY }),
  },
  {
    name: 'together',
    port: 4505,
    start: startTogetherFake,
    env: (u) => ({ TOGETHER_BASE_URL: `${u}/v1`, TOGETHER_API_KEY: CANARY.TOGETHER_API_KEY }),
  },
  {
    name: 'replicate',
    port: 4506,
    start: startReplicateFake,
    env: (u) => ({ REPLICATE_BASE_URL: `${u}/v1`, REPLICATE_API_TOKEN: CANARY.REPLICATE_API_TOKEN }),
  },
  {
    name: 'fal',
    port: 4507,
    start: startFalFake,
    env: (u) => ({ FAL_QUEUE_BASE_URL: u, FAL_STORAGE_BASE_URL: u, FAL_KEY: CANARY.FAL_KEY }),
  },
  {
    name: 'openai',
    port: 4508,
    start: startOpenAIFake,
    env: (u) => ({ OPENAI_BASE_URL: `${u}/v1`, OPENAI_API_KEY: CANARY.OPENAI_API_KEY }),
  },
  {
    name: 'stability',
    port: 4509,
    start: startStabilityFake,
    env: (u) => ({ STABILITY_BASE_URL: u, STABILITY_API_KEY: CANARY.STABILITY_API_KEY }),
  },
  {
    name: 'atlascloud',
    port: 4511,
    start: startAtlasCloudFake,
    env: (u) => ({ ATLASCLOUD_BASE_URL: u, ATLASCLOUD_API_KEY: CANARY.ATLASCLOUD_API_KEY }),
  },
  {
    name: 'comfyui',
    port: 4510,
    start: (port) => startComfyuiFake(port, { token: CANARY.COMFYUI_API_KEY }),
    env: (u) => ({
      COMFYUI_BASE_URL: u,
      COMFYUI_API_KEY: CANARY.COMFYUI_API_KEY,
      COMFYUI_WORKFLOW: path.join(root, 'lib/server/providers/comfyui/workflow.example.json'),
    }),
  },
];

export const fakeUrl = (name: string) => `http://127.0.0.1:${FAKES.find((f) => f.name === name)!.port}`;

/**
 * App environment for the e2e server: every provider configured against its fake. The fakes
 * are on loopback, which the address guard refuses: exactly their host:port pairs are allowed.
 */
export function fakeProviderEnv(): Record<string, string> {
  const allow = FAKES.map((f) => `127.0.0.1:${f.port}`).join(',');
  return Object.assign({ OUTBOUND_ALLOW_HOSTS: allow }, ...FAKES.map((f) => f.env(`http://127.0.0.1:${f.port}`)));
}

/** Switches a fake's failure mode over HTTP, as a test would. */
export async function setFakeMode(name: string, mode: string, times?: number): Promise<void> {
  const res = await fetch(`${fakeUrl(name)}/__control`, { method: 'POST', body: JSON.stringify({ mode, times }) });
  if (!res.ok) throw new Error(`could not set ${name} to ${mode}: ${res.status}`);
}

export async function resetFake(name: string): Promise<void> {
  await fetch(`${fakeUrl(name)}/__reset`, { method: 'POST' });
}
