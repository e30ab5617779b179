import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startComfyuiFake } from '@/e2e/fakes/comfyui';
import type { FakeMode } from '@/e2e/fakes/kit';
import { createComfyuiAdapter } from './adapter';
import type { ProviderError } from '../errors';
import {
  expectFailed,
  expectPending,
  expectProviderError,
  expectSucceeded,
  expectTimeout,
  fakeInput,
  itMapsFailureModes,
  pollToEnd,
  testCtx as ctx,
  useFake,
} from '../testing/contract-kit';
import type { AdapterConfig, EditRequest, ProviderAdapter } from '../types';

const TOKEN = 'proxy-token-comfy-0123456789abcdef';
const EXAMPLE = path.resolve(import.meta.dirname, 'workflow.example.json');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'comfy-contract-'));

const fake = useFake(() => startComfyuiFake(0, { token: TOKEN }));
let adapter: ProviderAdapter;
const make = (over: Partial<AdapterConfig> = {}) =>
  createComfyuiAdapter({ baseUrl: fake().url, apiKey: TOKEN, options: { workflow: EXAMPLE }, ...over });
const failure = (p: Promise<unknown>) => expectProviderError(p, { secrets: [TOKEN] });
const input = (seed: number, width = 320, height = 240) => fakeInput(seed, width, height, `image-${seed}.png`);

async function request(over: Partial<EditRequest> = {}): Promise<EditRequest> {
  return {
    model: 'workflow',
    prompt: 'put the bottle on a dark marble table',
    negativePrompt: 'blurry',
    images: [await input(1)],
    seed: 987654,
    outputFormat: 'png',
    strength: 0.8,
    guidance: 4,
    idempotencyKey: 'idem',
    ...over,
  };
}

function workflowFile(name: string, content: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

async function submit(a: ProviderAdapter, req: EditRequest): Promise<string> {
  return (await expectPending(a.submit(req, ctx()))).handle;
}

type PromptBody = { prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }>; client_id: string };
const promptSent = () => fake().requests.find((r) => r.path === '/prompt')?.body as PromptBody;
const messages: string[] = [];
// Errors whose messages the last failure-mode test checks for the token.
const logged = { secrets: [TOKEN], log: messages };

beforeAll(() => {
  adapter = make();
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('ComfyUI adapter against the fake', () => {
  it('uploads, queues the filled workflow, polls queued → running → succeeded, downloads once', async () => {
    const req = await request({ images: [await input(1), await input(2, 200, 200)] });
    const first = await expectPending(adapter.submit(req, ctx()));
    expect(JSON.parse(first.handle)).toEqual({ promptId: first.jobId });

    const { states, last } = await pollToEnd(adapter, first.handle);
    expect(states).toEqual(['queued', 'running', 'succeeded']);
    const meta = await sharp(expectSucceeded(last).images[0]?.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 320, 240]);

    // The fake serves each output once: a second download is gone.
    const auth = { authorization: `Bearer ${TOKEN}` };
    const hist = (await (await fetch(`${fake().url}/history/${first.jobId}`, { headers: auth })).json()) as Record<
      string,
      { outputs: Record<string, { images: { filename: string }[] }> }
    >;
    const filename = hist[first.jobId]?.outputs['15']?.images[0]?.filename ?? '';
    expect(filename).toMatch(/^proofsheet_\d+_\.png$/);
    expect((await fetch(`${fake().url}/view?filename=${filename}&type=output`, { headers: auth })).status).toBe(404);

    // What the server received.
    const uploadsSent = fake().requests.filter((r) => r.path === '/upload/image');
    expect(uploadsSent).toHaveLength(2);
    for (const r of fake().requests) expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const { prompt, client_id } = promptSent();
    expect(client_id).toMatch(/^[0-9a-f-]{36}$/);
    const names = req.images.map((i) => `proofsheet-${i.sha256.slice(0, 24)}.png`);
    expect(prompt['4']?.inputs.image).toBe(names[0]);
    expect(prompt['5']?.inputs.image).toBe(names[1]);
    expect(prompt['8']?.inputs.prompt).toBe(req.prompt);
    expect(prompt['9']?.inputs.prompt).toBe('blurry');
    expect(prompt['13']?.inputs).toMatchObject({ seed: 987654, cfg: 4, denoise: 0.8, steps: 20 });
    // Reference 3 is absent: its LoadImage node and the link to it are gone.
    expect(prompt['6']).toBeUndefined();
    expect(prompt['8']?.inputs).not.toHaveProperty('image3');
    expect(prompt['8']?.inputs.image2).toEqual(['5', 0]);
  });

  it('keeps the instruction as plain text: no injected nodes, no placeholder expansion', async () => {
    const nasty = 'make it "glossy"}, "99": {"class_type": "SaveImage", "inputs": {}}, "x": "{{seed}} {{image_2}}';
    const handle = await submit(
      adapter,
      await request({ prompt: nasty, negativePrompt: undefined, strength: undefined, guidance: undefined }),
    );
    const { prompt } = promptSent();
    expect(prompt['8']?.inputs.prompt).toBe(nasty);
    expect(prompt['9']?.inputs.prompt).toBe('');
    expect(Object.keys(prompt).sort()).toEqual(['1', '10', '11', '12', '13', '14', '15', '2', '3', '4', '7', '8', '9']);
    // Workflow defaults stand in for values the run does not set.
    expect(prompt['13']?.inputs).toMatchObject({ cfg: 2.5, denoise: 1 });
    expect((await pollToEnd(adapter, handle)).last.state).toBe('succeeded');
  });

  it('refuses more references than the workflow loads, before calling the server', async () => {
    const one = workflowFile('one.json', {
      '1': { class_type: 'LoadImage', inputs: { image: '{{image_1}}' } },
      '2': { class_type: 'CLIPTextEncode', inputs: { clip: ['1', 0], text: '{{instruction}}' } },
      '3': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'x' } },
    });
    const e = await failure(
      make({ options: { workflow: one } }).submit(await request({ images: [await input(1), await input(2)] }), ctx()),
    );
    expect(e.code).toBe('bad_input');
    expect(e.message).toContain('loads 1 reference image');
    expect(fake().requests).toHaveLength(0);
  });

  it('a workflow ComfyUI rejects is bad_input with the node error text', async () => {
    const bad = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as Record<string, { inputs: Record<string, unknown> }>;
    if (bad['13']) bad['13'].inputs.sampler_name = 'euler_magic';
    const e = await failure(make({ options: { workflow: workflowFile('bad.json', bad) } }).submit(await request(), ctx()));
    expect([e.code, e.httpStatus, e.providerCode]).toEqual(['bad_input', 400, 'prompt_outputs_failed_validation']);
    expect(e.message).toContain("node 13 (KSampler): Value not in list: sampler_name: 'euler_magic'");
  });

  it('cancels a queued prompt by deleting it from the queue', async () => {
    const handle = await submit(adapter, await request());
    await adapter.cancel?.(handle, ctx());
    const del = fake().requests.find((r) => r.path === '/queue' && r.method === 'POST');
    expect(del?.body).toEqual({ delete: [JSON.parse(handle).promptId] });
    const after = await adapter.poll(handle, ctx());
    expect(after.state).toBe('failed');
  });

  it('cancels a running prompt with a targeted interrupt, then reports it cancelled', async () => {
    const handle = await submit(adapter, await request());
    expect((await adapter.poll(handle, ctx())).state).toBe('queued');
    expect((await adapter.poll(handle, ctx())).state).toBe('running');
    await adapter.cancel?.(handle, ctx());
    const interrupt = fake().requests.find((r) => r.path === '/interrupt');
    expect(interrupt?.body).toEqual({ prompt_id: JSON.parse(handle).promptId });
    expect((await adapter.poll(handle, ctx())).state).toBe('cancelled');
  });
});

describe('ComfyUI failure modes', () => {
  const during: [FakeMode, string, Partial<ProviderError>, string][] = [
    ['fail_in_200', 'provider_error', { providerCode: 'torch.OutOfMemoryError' }, 'out of memory'],
    ['insufficient_funds', 'insufficient_funds', {}, 'Payment Required'],
    ['content_policy', 'content_policy', { blocked: 'output' }, 'safety checker'],
  ];
  it.each(during)('%s shows up in the history → %s', async (mode, code, extra, text) => {
    fake().setMode(mode);
    const handle = await submit(adapter, await request());
    const { states, last } = await pollToEnd(adapter, handle);
    expect(states.slice(0, 2)).toEqual(['queued', 'running']);
    const error = expectFailed(last);
    messages.push(error.message);
    expect(error.code).toBe(code);
    expect(error).toMatchObject(extra);
    expect(error.message).toContain(text);
    expect(error.message).toContain('KSampler (node 13)');
  });

  itMapsFailureModes(
    [
      ['bad_input', 'bad_input', { httpStatus: 400 }],
      ['rate_limit', 'rate_limited', { retryAfterMs: 1000 }],
      ['server_error', 'provider_error', { httpStatus: 500 }],
      ['malformed_json', 'provider_error', {}],
      ['auth', 'auth', { httpStatus: 401 }],
    ],
    { fake, title: (mode, code) => `${mode} at submit → ${code}`, attempt: async () => adapter.submit(await request(), ctx()), ...logged },
  );

  it('bad_input names the node and the missing model', async () => {
    fake().setMode('bad_input');
    const e = await failure(adapter.submit(await request(), ctx()));
    expect(e.message).toContain(
      "node 1 (UNETLoader): Value not in list: unet_name: 'qwen_image_edit_2509_fp8_e4m3fn.safetensors' not in []",
    );
  });

  it('a rate limit while polling is retryable, and the job survives it', async () => {
    const handle = await submit(adapter, await request());
    fake().setMode('rate_limit', 1);
    const e = await failure(adapter.poll(handle, ctx()));
    expect([e.code, e.retryAfterMs]).toEqual(['rate_limited', 1000]);
    expect((await pollToEnd(adapter, handle)).last.state).toBe('succeeded');
  });

  it('a hanging server becomes a timeout', async () => {
    await expectTimeout(fake(), async () => make({ requestTimeoutMs: 300 }).submit(await request(), ctx()), logged);
  });

  it('a missing proxy token is auth; an unreachable server is provider_error', async () => {
    const e = await failure(make({ apiKey: undefined }).submit(await request(), ctx()));
    expect(e.code).toBe('auth');
    const down = await expectProviderError(
      make({ baseUrl: 'http://127.0.0.1:9', requestTimeoutMs: 2000 }).submit(await request(), ctx()),
      logged,
    );
    expect([down.code, down.retryable]).toEqual(['provider_error', true]);
  });

  it('never puts the proxy token in an error message', () => {
    expect(messages.length).toBeGreaterThanOrEqual(10);
    for (const m of messages) expect(m).not.toContain(TOKEN);
  });
});

describe('ComfyUI configuration', () => {
  it('needs a base URL and a readable, valid API-format workflow', () => {
    expect(adapter.configured()).toBe(true);
    expect(make({ baseUrl: '' }).configured()).toBe(false);
    expect(make({ options: {} }).configured()).toBe(false);
    expect(make({ options: { workflow: path.join(tmp, 'missing.json') } }).configured()).toBe(false);
    expect(make({ options: { workflow: workflowFile('broken.json', '{"1": ') } }).configured()).toBe(false);
    expect(make({ options: { workflow: workflowFile('ui.json', { nodes: [], links: [] }) } }).configured()).toBe(false);
    const noInstruction = { '1': { class_type: 'LoadImage', inputs: { image: '{{image_1}}' } } };
    expect(make({ options: { workflow: workflowFile('noinst.json', noInstruction) } }).configured()).toBe(false);
  });

  it('explains an unusable workflow at submit', async () => {
    const e = await failure(
      make({ options: { workflow: workflowFile('ui2.json', { nodes: [], links: [] }) } }).submit(await request(), ctx()),
    );
    expect(e.code).toBe('bad_input');
    expect(e.message).toContain('Save (API Format)');
  });
});
