/**
 * Fake fal.ai: queue API + storage upload, on one loopback server.
 *
 *   POST /storage/upload/initiate          -> {upload_url, file_url}        (needs `Key` auth)
 *   PUT  /upload/:id                       <- the bytes (signed URL: no auth, as on fal's CDN)
 *   GET  /files/:id/:name                  -> the bytes (what fal's runner would download)
 *   POST /{model_id...}                    -> {request_id, status_url, response_url, cancel_url}
 *   GET  /{owner}/{app}/requests/:id/status -> 202 IN_QUEUE, 202 IN_PROGRESS, then 200 COMPLETED
 *   GET  /{owner}/{app}/requests/:id       -> the model output (or the model's error)
 *   PUT  /{owner}/{app}/requests/:id/cancel
 *
 * Where each failure mode hits, the way fal reports it:
 * - auth, insufficient_funds, rate_limit, server_error, malformed_json, hang: on whichever HTTP
 *   call meets them first (usually the storage initiate that opens a submit).
 * - content_policy, bad_input, fail_in_200: captured at submit and reported by the job, because
 *   fal's queue accepts the request and the runner's validation/moderation answers in the result.
 *   content_policy -> result 422 `content_policy_violation` on the prompt; bad_input -> result 422
 *   on `image_url(s)`; fail_in_200 -> status 200 COMPLETED carrying `error` + `error_type`.
 * A prompt containing "[nsfw]" completes with `has_nsfw_concepts: [true]` (output moderation);
 * "[nsfw-first]" with two images, the first flagged (`[true, false]`): a partly filtered answer.
 *
 * fal-ai/wan/v2.7/edit is validated against `WanV27EditInput` (fal-ai/fal-js@381105e1
 * libs/client/src/types/endpoints.ts), in the result as fal's runner does (422 `detail[]`):
 * image_urls 1–4, image_size a preset or {width, height} (omitted: "square_hd", so the output
 * is 1024×1024 whatever the input's shape), num_images 1–4, seed 0–2147483647, output_format
 * jpeg|png|webp, negative_prompt ≤ 500. `enable_prompt_expansion` defaults to true: then the
 * instruction is rewritten and the output does not follow the seed (the fake draws a random one).
 * Wan outputs report the requested size but are rendered at most 512² in area, to stay fast.
 */
import { randomUUID } from 'node:crypto';
import { fakeImage, header, startFake, type FakeContext, type FakeMode, type FakeServer } from './kit';
import { callBackLater, FAL_FAKE_JWKS, falSigned } from './webhook-sender';

type Job = {
  id: string;
  app: string;
  model: string;
  input: Record<string, unknown>;
  /** Job-level failure captured at submit. */
  outcome: FakeMode;
  polls: number;
  cancelled: boolean;
};

const JOB_MODES: FakeMode[] = ['content_policy', 'bad_input', 'fail_in_200'];
const WAN_EDIT = /^fal-ai\/wan\/v2\.7\/(pro\/)?edit$/;
/** fal's image-size presets (fal-js `ImageSize` enum values). */
const PRESETS: Record<string, [number, number]> = {
  square_hd: [1024, 1024],
  square: [512, 512],
  portrait_4_3: [768, 1024],
  portrait_16_9: [576, 1024],
  landscape_4_3: [1024, 768],
  landscape_16_9: [1024, 576],
};
type Detail = { loc: (string | number)[]; msg: string; type: string };

export async function startFalFake(port = 0): Promise<FakeServer> {
  return startFake('fal', handle, port);
}

async function handle(ctx: FakeContext): Promise<void> {
  const { url, req } = ctx;
  const method = req.method ?? 'GET';

  // The signed upload/download URLs carry no auth and see no failure modes: fal's CDN, not its API.
  const uploadMatch = /^\/upload\/([\w-]+)$/.exec(url.pathname);
  if (uploadMatch && method === 'PUT') {
    const pending = ctx.store.get(`upload:${uploadMatch[1]}`) as { contentType: string } | undefined;
    if (!pending) return ctx.send(403, '<Error><Code>SignatureDoesNotMatch</Code></Error>');
    ctx.store.set(`file:${uploadMatch[1]}`, { bytes: ctx.body, contentType: header(ctx, 'content-type') ?? pending.contentType });
    return ctx.send(200, '');
  }
  const fileMatch = /^\/files\/([\w-]+)\//.exec(url.pathname);
  if (fileMatch && method === 'GET') {
    const file = ctx.store.get(`file:${fileMatch[1]}`) as { bytes: Buffer; contentType: string } | undefined;
    if (!file) return ctx.send(404, { detail: 'File not found' });
    ctx.res.writeHead(200, { 'content-type': file.contentType });
    return void ctx.res.end(file.bytes);
  }

  // fal's public webhook keys, no auth (https://rest.alpha.fal.ai/.well-known/jwks.json).
  if (url.pathname === '/.well-known/jwks.json' && method === 'GET') return ctx.send(200, FAL_FAKE_JWKS);
  if (transportFailure(ctx)) return;
  if (!authorised(ctx)) return;

  if (url.pathname === '/storage/upload/initiate' && method === 'POST') return initiateUpload(ctx);
  const request = /^\/([^/]+\/[^/]+)\/requests\/([\w-]+)(\/status|\/cancel)?$/.exec(url.pathname);
  if (request) {
    const job = ctx.store.get(`job:${request[2]}`) as Job | undefined;
    if (!job || job.app !== request[1]) return ctx.send(404, { detail: 'Request not found' });
    if (request[3] === '/status' && method === 'GET') return status(ctx, job);
    if (request[3] === '/cancel' && method === 'PUT') return cancel(ctx, job);
    if (!request[3] && method === 'GET') return result(ctx, job);
    return ctx.send(405, { detail: 'Method Not Allowed' });
  }
  if (method === 'POST' && url.pathname.split('/').filter(Boolean).length >= 2) return submit(ctx);
  return ctx.send(404, { detail: 'Not Found' });
}

/** Modes that fail the HTTP call itself, in fal's shapes. Returns true when it answered. */
function transportFailure(ctx: FakeContext): boolean {
  switch (ctx.mode) {
    case 'rate_limit':
      // fal mostly queues over-concurrency instead of refusing, but a 429 is still possible.
      ctx.send(429, { detail: 'Too many requests' }, { 'retry-after': '1', 'x-fal-retryable': 'true' });
      return true;
    case 'server_error':
      // Request-error shape: https://fal.ai/docs/documentation/model-apis/request-errors.md
      ctx.send(
        503,
        { detail: 'Runner disconnected', error_type: 'runner_disconnected' },
        { 'x-fal-error-type': 'runner_disconnected', 'x-fal-retryable': 'true' },
      );
      return true;
    case 'malformed_json':
      ctx.send(200, '<html><body>upstream connect error</body></html>');
      return true;
    case 'auth':
      // Body reported in https://github.com/fal-ai/fal/issues/1068
      ctx.send(401, { detail: 'No user found for Key ID and Secret' });
      return true;
    case 'insufficient_funds':
      // Body reported in https://github.com/fal-ai/fal/issues/1147
      ctx.send(403, { detail: 'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.' });
      return true;
    default:
      return false;
  }
}

function authorised(ctx: FakeContext): boolean {
  const value = header(ctx, 'authorization');
  if (!value?.startsWith('Key ')) {
    ctx.send(401, { detail: 'Authentication is required to access this resource.' });
    return false;
  }
  // fal keys are "<key_id>:<key_secret>"; this message is the one users report for malformed keys.
  if (!value.slice(4).includes(':')) {
    ctx.send(401, { detail: "Invalid Key Authorization header format. Expected '<key_id>:<key_secret>'." });
    return false;
  }
  return true;
}

function initiateUpload(ctx: FakeContext): void {
  const body = ctx.json<{ content_type?: unknown; file_name?: unknown }>();
  const missing = (['content_type', 'file_name'] as const).filter((k) => typeof body?.[k] !== 'string');
  if (!body || missing.length) {
    ctx.send(422, { detail: missing.map((k) => ({ loc: ['body', k], msg: 'Field required', type: 'missing' })) });
    return;
  }
  const id = randomUUID();
  ctx.store.set(`upload:${id}`, { contentType: body.content_type });
  ctx.send(200, {
    upload_url: `${ctx.baseUrl}/upload/${id}`,
    file_url: `${ctx.baseUrl}/files/${id}/${encodeURIComponent(String(body.file_name))}`,
  });
}

function submit(ctx: FakeContext): void {
  const input = ctx.json<Record<string, unknown>>();
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    ctx.send(422, { detail: [{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' }] });
    return;
  }
  const model = ctx.url.pathname.slice(1);
  const id = randomUUID();
  const app = model.split('/').slice(0, 2).join('/');
  const job: Job = { id, app, model, input, outcome: JOB_MODES.includes(ctx.mode) ? ctx.mode : 'ok', polls: 0, cancelled: false };
  ctx.store.set(`job:${id}`, job);
  const base = `${ctx.baseUrl}/${app}/requests/${id}`;
  ctx.send(200, {
    status: 'IN_QUEUE',
    request_id: id,
    response_url: base,
    status_url: `${base}/status`,
    cancel_url: `${base}/cancel`,
    queue_position: 0,
  });
  const hook = ctx.url.searchParams.get('fal_webhook');
  if (hook) {
    callBackLater(hook, async () => {
      // Done: the next status poll answers COMPLETED. The body as fal posts it (request info + payload).
      if (!job.cancelled) job.polls = Math.max(job.polls, 2);
      const text = JSON.stringify({ request_id: id, gateway_request_id: id, status: job.outcome === 'ok' ? 'OK' : 'ERROR', payload: null });
      return { body: text, headers: falSigned(id, text) };
    });
  }
}

function status(ctx: FakeContext, job: Job): void {
  const responseUrl = `${ctx.baseUrl}/${job.app}/requests/${job.id}`;
  if (job.cancelled) {
    ctx.send(200, { status: 'CANCELED', response_url: responseUrl });
    return;
  }
  job.polls += 1;
  // 202 while queued/running, 200 once complete (https://fal.ai/docs/api-reference/inference-api).
  if (job.polls === 1) {
    ctx.send(202, { status: 'IN_QUEUE', queue_position: 0, response_url: responseUrl });
    return;
  }
  if (job.polls === 2) {
    ctx.send(202, { status: 'IN_PROGRESS', logs: [], response_url: responseUrl });
    return;
  }
  if (job.outcome === 'fail_in_200') {
    ctx.send(200, {
      status: 'COMPLETED',
      response_url: responseUrl,
      error: 'Runner disconnected unexpectedly during processing',
      error_type: 'runner_disconnected',
    });
    return;
  }
  ctx.send(200, { status: 'COMPLETED', logs: [], response_url: responseUrl, metrics: { inference_time: 1.2 } });
}

function cancel(ctx: FakeContext, job: Job): void {
  if (job.polls >= 3) {
    ctx.send(400, { status: 'ALREADY_COMPLETED' });
    return;
  }
  job.cancelled = true;
  ctx.send(202, { status: 'CANCELLATION_REQUESTED' });
}

async function result(ctx: FakeContext, job: Job): Promise<void> {
  if (job.polls < 3) return ctx.send(400, { detail: 'Request is still in progress' });
  const prompt = job.input.prompt;
  if (typeof prompt !== 'string' || !prompt) {
    return ctx.send(422, { detail: [{ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' }] });
  }
  // Schema validation comes first (pydantic), loading the images after.
  const wan = WAN_EDIT.test(job.model);
  const invalid = [...(wan ? wanProblems(job.input) : []), ...safetyProblems(job.input, wan)];
  if (invalid.length) return ctx.send(422, { detail: invalid });
  const imageField = 'image_urls' in job.input ? 'image_urls' : 'image_url';
  const urls = imageField === 'image_urls' ? job.input.image_urls : [job.input.image_url];
  const missingImage = !Array.isArray(urls) || !urls.length || urls.some((u) => typeof u !== 'string' || !fileExists(ctx, u));
  if (job.outcome === 'bad_input' || missingImage) {
    return ctx.send(422, {
      detail: [
        {
          loc: ['body', imageField],
          msg: 'Failed to load the image. Please ensure the image file is not corrupted and is in a supported format.',
          type: 'image_load_error',
        },
      ],
    });
  }
  if (job.outcome === 'content_policy') {
    // Shape from fal's error reference (as quoted in https://wavespeed.ai/blog/ai-guides/fal-ai-content-policy-violation-422-fix/).
    return ctx.send(422, {
      detail: [
        {
          loc: ['body', 'prompt'],
          msg: 'The content was flagged by a content checker.',
          type: 'content_policy_violation',
          input: prompt,
          categories: ['violence'],
        },
      ],
    });
  }
  const expanded = wan && job.input.enable_prompt_expansion !== false;
  const seed = expanded ? Math.floor(Math.random() * 2147483647) : typeof job.input.seed === 'number' ? job.input.seed : 42;
  const format = job.input.output_format === 'png' ? 'png' : 'jpeg';
  const [width, height] = wan ? wanSize(job.input.image_size) : [320, 240];
  const scale = Math.min(1, Math.sqrt((512 * 512) / (width * height)));
  const bytes = await fakeImage(seed, Math.round(width * scale), Math.round(height * scale), format);
  const mime = format === 'png' ? 'image/png' : 'image/jpeg';
  // "[nsfw-first]": two outputs, the first flagged (a partly filtered multi-image answer).
  const partly = prompt.includes('[nsfw-first]');
  const images = [{ url: ctx.issueOutput(bytes, mime), width, height, content_type: mime }];
  if (partly) images.unshift({ url: ctx.issueOutput(await fakeImage(seed + 1, 32, 32, format), mime), width, height, content_type: mime });
  ctx.send(200, {
    images,
    timings: { inference: 1.2 },
    seed,
    has_nsfw_concepts: partly ? [true, false] : [prompt.includes('[nsfw]')],
    prompt,
  });
}

/**
 * The safety settings' types: Kontext's `safety_tolerance` is the string enum "1"–"6"
 * (fal.ai/models/fal-ai/flux-pro/kontext/llms.txt), Wan's `enable_safety_checker` a boolean.
 */
function safetyProblems(input: Record<string, unknown>, wan: boolean): Detail[] {
  const tol = input.safety_tolerance;
  if (!wan && tol !== undefined && !['1', '2', '3', '4', '5', '6'].includes(tol as string)) {
    return [{ loc: ['body', 'safety_tolerance'], msg: "Input should be '1', '2', '3', '4', '5' or '6'", type: 'enum' }];
  }
  const checker = input.enable_safety_checker;
  if (checker !== undefined && typeof checker !== 'boolean') {
    return [{ loc: ['body', 'enable_safety_checker'], msg: 'Input should be a valid boolean', type: 'bool_type' }];
  }
  return [];
}

/** WanV27EditInput checks, in pydantic's `detail[]` shape. */
function wanProblems(input: Record<string, unknown>): Detail[] {
  const bad: Detail[] = [];
  const need = (field: string, ok: boolean, msg: string) => {
    if (!ok) bad.push({ loc: ['body', field], msg, type: 'value_error' });
  };
  const urls = input.image_urls;
  need('image_urls', Array.isArray(urls) && urls.length >= 1 && urls.length <= 4, 'List should have at least 1 item and at most 4 items');
  const size = input.image_size;
  if (size !== undefined) {
    const preset = typeof size === 'string' && size in PRESETS;
    const box = typeof size === 'object' && size !== null && !Array.isArray(size);
    const dims = box ? (size as Record<string, unknown>) : {};
    const side = (v: unknown) => v === undefined || (Number.isInteger(v) && Number(v) > 0 && Number(v) <= 14142);
    need(
      'image_size',
      preset || (box && side(dims.width) && side(dims.height)),
      `Input should be one of ${Object.keys(PRESETS).join(', ')} or an object with integer width and height`,
    );
  }
  const n = input.num_images ?? 1;
  need('num_images', Number.isInteger(n) && Number(n) >= 1 && Number(n) <= 4, 'Input should be between 1 and 4');
  if (input.seed !== undefined)
    need(
      'seed',
      Number.isInteger(input.seed) && Number(input.seed) >= 0 && Number(input.seed) <= 2147483647,
      'Input should be between 0 and 2147483647',
    );
  if (input.output_format !== undefined)
    need('output_format', ['jpeg', 'png', 'webp'].includes(String(input.output_format)), "Input should be 'jpeg', 'png' or 'webp'");
  if (input.negative_prompt !== undefined)
    need(
      'negative_prompt',
      typeof input.negative_prompt === 'string' && input.negative_prompt.length <= 500,
      'String should have at most 500 characters',
    );
  if (input.enable_prompt_expansion !== undefined)
    need('enable_prompt_expansion', typeof input.enable_prompt_expansion === 'boolean', 'Input should be a valid boolean');
  return bad;
}

/** The output size fal asks DashScope for: a preset, an explicit box (512 per missing side), or square_hd. */
function wanSize(size: unknown): [number, number] {
  if (typeof size === 'string') return PRESETS[size] ?? [1024, 1024];
  if (size && typeof size === 'object') {
    const { width, height } = size as { width?: number; height?: number };
    return [width ?? 512, height ?? 512];
  }
  return PRESETS.square_hd!;
}

function fileExists(ctx: FakeContext, fileUrl: string): boolean {
  const m = /\/files\/([\w-]+)\//.exec(fileUrl);
  return Boolean(m && ctx.store.has(`file:${m[1]}`));
}
