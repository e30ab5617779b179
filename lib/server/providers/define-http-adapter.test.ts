import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAtlasCloudAdapter } from './atlascloud/adapter';
import { createComfyuiAdapter } from './comfyui/adapter';
import { createDashScopeAdapter } from './dashscope/adapter';
import { defineHttpAdapter } from './define-http-adapter';
import { createFalAdapter } from './fal/adapter';
import { createKieAdapter } from './kie/adapter';
import { createModelsLabAdapter } from './modelslab/adapter';
import { createOpenAIAdapter } from './openai/adapter';
import { createReplicateAdapter } from './replicate/adapter';
import { createStabilityAdapter } from './stability/adapter';
import { allowOutbound, expectProviderError, testCtx as ctx } from './testing/contract-kit';
import { createTogetherAdapter } from './together/adapter';
import type { AdapterConfig, EditRequest, ProviderAdapter } from './types';
import { createWaveSpeedAdapter } from './wavespeed/adapter';

const KEY = 'shared-kit-key-5e8c1a7d';
// Nothing listens on the discard port: an adapter that reached the network would fail with provider_error.
const NOWHERE = 'http://127.0.0.1:9';

const ALL: [string, (c: AdapterConfig) => ProviderAdapter][] = [
  ['wavespeed', createWaveSpeedAdapter],
  ['dashscope', createDashScopeAdapter],
  ['kie', createKieAdapter],
  ['modelslab', createModelsLabAdapter],
  ['together', createTogetherAdapter],
  ['replicate', createReplicateAdapter],
  ['fal', createFalAdapter],
  ['openai', createOpenAIAdapter],
  ['stability', createStabilityAdapter],
  ['atlascloud', createAtlasCloudAdapter],
  ['comfyui', createComfyuiAdapter],
];
const SYNCHRONOUS = new Set(['together', 'openai', 'stability']);
const request: EditRequest = { model: 'm', prompt: 'p', images: [], seed: 1, outputFormat: 'png', idempotencyKey: 'i' };

describe('every HTTP adapter, through defineHttpAdapter', () => {
  for (const [name, create] of ALL) {
    const adapter = create({ apiKey: KEY, baseUrl: NOWHERE });
    if (SYNCHRONOUS.has(name)) {
      it(`${name}: has no job to poll (failed, interrupted) and no cancel`, async () => {
        const r = await adapter.poll('{}', ctx());
        expect(r.state === 'failed' && r.error.code).toBe('interrupted');
        expect(adapter.cancel).toBeUndefined();
      });
    } else {
      it(`${name}: an unreadable stored handle is bad_input, before any call`, async () => {
        for (const handle of ['not json', '{}', '{"v":2}']) {
          const err = await expectProviderError(adapter.poll(handle, ctx()), { secrets: [KEY] });
          expect(err.code).toBe('bad_input');
          if (adapter.cancel) expect((await expectProviderError(adapter.cancel(handle, ctx()))).code).toBe('bad_input');
        }
      });
    }
    if (name !== 'comfyui') {
      it(`${name}: without a key, refuses with auth before any call`, async () => {
        const keyless = create({ baseUrl: NOWHERE });
        expect(keyless.configured()).toBe(false);
        expect((await expectProviderError(keyless.submit(request, ctx()))).code).toBe('auth');
      });
    }
  }
});

describe('defineHttpAdapter', () => {
  type Seen = { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string };
  let seen: Seen[] = [];
  let answer = { status: 200, body: '{"id":"job-1"}', headers: {} as Record<string, string> };
  let server: http.Server;
  let base = '';
  let disallow = () => {};

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    disallow = allowOutbound(base);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())).then(() => disallow()));

  const handle = z.object({ id: z.string() });
  function make(url: string, over: Partial<AdapterConfig> = {}, target = '/jobs') {
    seen = [];
    return defineHttpAdapter(
      {
        id: 'wavespeed',
        vendor: 'Acme',
        config: { apiKey: KEY, baseUrl: url, ...over },
        baseUrl: `${url}/`,
        auth: { scheme: 'Bearer', envKey: 'ACME_KEY' },
        timeoutMs: 5_000,
        deadlineMs: 60_000,
        handle,
      },
      (kit) => ({
        async submit(req, c) {
          const headers = { 'Content-Type': 'text/plain', 'X-Extra': '1' };
          const res = await kit.call(target, { method: 'POST', headers, json: { prompt: req.prompt } }, c);
          const { id } = kit.json(res, handle, 'no job id');
          return kit.pending(id, { id });
        },
        poll: async (h) => ({ state: 'running', pollAfterMs: h.id.length }),
      }),
    );
  }

  it('sends the key, one JSON content-type and the caller’s headers; the handle round-trips', async () => {
    answer = { status: 200, body: '{"id":"job-1"}', headers: {} };
    const sub = await make(base).submit(request, ctx());
    expect(sub).toMatchObject({ kind: 'pending', jobId: 'job-1', handle: '{"id":"job-1"}' });
    const [r] = seen;
    expect(r?.url).toBe('/jobs');
    expect(r?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(r?.headers['content-type']).toBe('application/json');
    expect(r?.headers['x-extra']).toBe('1');
    expect(JSON.parse(r?.body ?? '')).toEqual({ prompt: 'p' });
    expect(await make(base).poll(sub.kind === 'pending' ? sub.handle : '', ctx())).toEqual({ state: 'running', pollAfterMs: 5 });
  });

  it('maps a non-2xx by status (Retry-After honoured) and a 2xx of the wrong shape to provider_error', async () => {
    answer = { status: 429, body: `{"message":"slow down, ${KEY}"}`, headers: { 'retry-after': '3' } };
    const limited = await expectProviderError(make(base).submit(request, ctx()), { secrets: [KEY] });
    expect([limited.code, limited.retryAfterMs, limited.httpStatus]).toEqual(['rate_limited', 3000, 429]);
    answer = { status: 200, body: '{"nope":true}', headers: {} };
    const shape = await expectProviderError(make(base).submit(request, ctx()));
    expect([shape.code, shape.message]).toEqual(['provider_error', 'Acme: no job id.']);
    answer = { status: 200, body: 'not json', headers: {} };
    expect((await expectProviderError(make(base).submit(request, ctx()))).code).toBe('provider_error');
  });

  it('never sends the key to a host that was not configured', async () => {
    const err = await expectProviderError(make(base, {}, 'https://elsewhere.example/steal').submit(request, ctx()), { secrets: [KEY] });
    expect(err.code).toBe('provider_error');
    expect(err.message).toContain('refusing to send the key');
    expect(seen).toHaveLength(0);
  });
});
