/**
 * Fake ModelsLab (base URL = https://modelslab.com/api). Shapes follow ModelsLab/docs-v2
 * (image-editing/openapi.json, error-codes.mdx, base64-to-url.mdx, fetchimage.mdx).
 * Auth is the `key` field of the JSON body; a missing key is a 401, as documented.
 *
 * Routes:
 * - POST /v6/image_editing/base64_to_url → `{status:"success", id, output:[url]}`; GET /uploads/:id serves it.
 * - POST /v6/images/img2img (Kontext dev) → answers `success` at once (ModelsLab may answer either way;
 *   the fake uses one shape per endpoint so both are exercised).
 * - POST /v7/images/image-to-image (Wan, unverified on the real service) → `processing` with `eta`,
 *   `fetch_result`, `future_links` (where the image will land); then POST /v7|v6/images/fetch/:id
 *   `{key}`: 1st → processing (`output: ""`, the same `future_links`), 2nd and later → success with
 *   an empty `output` and the image in `output_url` and `future_links`, one of the shapes ModelsLab's
 *   own CLI reads (ModelsLab/modelslab-cli@07ea1c7c internal/cmd/generate.go `extractOutputURLs`).
 *   Its validation answers HTTP 200 `{status:"error", message: {field: ["…"]}}`: the message is an
 *   object for validation errors (same file, `generationFailed`); the field texts are Laravel's wording.
 *
 * Failure modes:
 * - upload: auth, rate_limit, server_error, malformed_json (hang via the kit); others pass through.
 * - submit: every mode. auth 401, insufficient_funds 402, rate_limit 429 with Retry-After and body
 *   `retry_after`, server_error 503, bad_input 400, all `{status:"error", message}`;
 *   `fail_in_200` → HTTP 200 `{status:"error", messege}` (the legacy spelling);
 *   `content_policy` → HTTP 200 success with `nsfw_content_detected: true` (the output was flagged).
 * - fetch: `fail_in_200` → HTTP 200 `{status:"failed"}`; `content_policy` → success + nsfw flag;
 *   auth, rate_limit, server_error, malformed_json as above; others let the job progress.
 * Auth errors echo the key on purpose, so tests prove the adapter redacts it.
 */
import { fakeImage, startFake, type FakeContext, type FakeServer } from './kit';

const V7_MODELS = new Set(['wan-2.7-i2i', 'wan-2.7-pro-i2i']);
type Job = { id: number; seed: number; polls: number; output: string[] };

function error(
  ctx: FakeContext,
  status: number,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  ctx.send(status, { status: 'error', message, ...extra }, headers);
}

/** Key check and the transport-level modes; true when a reply was sent. */
function commonFailure(ctx: FakeContext, body: Record<string, unknown> | undefined): boolean {
  if (!body) {
    error(ctx, 400, 'Malformed JSON in request body');
    return true;
  }
  const key = typeof body.key === 'string' ? body.key : '';
  if (!key) {
    error(ctx, 401, 'API key is missing: pass "key" in the request body');
    return true;
  }
  switch (ctx.mode) {
    case 'auth':
      error(ctx, 401, `Invalid API key ${key}`);
      return true;
    case 'rate_limit':
      error(ctx, 429, 'Rate limit exceeded. Maximum 5 queued requests allowed.', { retry_after: 1 }, { 'Retry-After': '1' });
      return true;
    case 'server_error':
      error(ctx, 503, 'Service temporarily unavailable. Please try again later.');
      return true;
    case 'malformed_json':
      ctx.send(200, '<!DOCTYPE html><html><body>Gateway timeout</body></html>');
      return true;
    default:
      return false;
  }
}

function nextId(ctx: FakeContext): number {
  const n = ((ctx.store.get('seq') as number | undefined) ?? 1000) + 1;
  ctx.store.set('seq', n);
  return n;
}

/** Submit-time modes beyond the common ones; true when a reply was sent. */
async function submitFailure(ctx: FakeContext, seed: number): Promise<boolean> {
  switch (ctx.mode) {
    case 'insufficient_funds':
      error(ctx, 402, 'Insufficient credits. Please add more credits to continue.');
      return true;
    case 'bad_input':
      error(ctx, 400, 'Unable to fetch image from provided URL');
      return true;
    case 'fail_in_200':
      ctx.send(200, { status: 'error', messege: 'Failed to process your request, please try again.' });
      return true;
    case 'content_policy':
      ctx.send(200, flagged(nextId(ctx), await output(ctx, seed)));
      return true;
    default:
      return false;
  }
}

async function output(ctx: FakeContext, seed: number): Promise<string[]> {
  return [ctx.issueOutput(await fakeImage(seed), 'image/png')];
}

function flagged(id: number, urls: string[]) {
  return { status: 'success', id, output: urls, proxy_links: [], nsfw_content_detected: true, generationTime: 1.2, meta: {} };
}

function isUrl(v: unknown): v is string {
  return typeof v === 'string' && /^https?:\/\//.test(v);
}

function handleUpload(ctx: FakeContext) {
  const body = ctx.json<Record<string, unknown>>();
  if (commonFailure(ctx, body)) return;
  const m = /^data:(image\/[a-z]+);base64,\s*([A-Za-z0-9+/=]+)$/.exec(String(body?.init_image ?? ''));
  if (!m) return error(ctx, 400, 'init_image must be a base64 data URI');
  const id = nextId(ctx);
  ctx.store.set(`upload:${id}`, { bytes: Buffer.from(m[2] ?? '', 'base64'), mime: m[1] });
  ctx.send(200, { status: 'success', id, output: [`${ctx.baseUrl}/uploads/${id}`] });
}

function seedOf(body: Record<string, unknown>): number {
  return typeof body.seed === 'number' ? body.seed : 0;
}

async function handleKontext(ctx: FakeContext) {
  const body = ctx.json<Record<string, unknown>>();
  if (commonFailure(ctx, body) || !body) return;
  if (await submitFailure(ctx, seedOf(body))) return;
  if (body.model_id !== 'flux-kontext-dev') return error(ctx, 400, `Model not found: ${String(body.model_id)}`);
  if (typeof body.prompt !== 'string' || !body.prompt.trim()) return error(ctx, 400, 'prompt is required');
  if (Array.isArray(body.init_image)) return error(ctx, 400, 'init_image must be a string');
  if (!isUrl(body.init_image)) return error(ctx, 400, 'init_image is required');
  if (body.init_image_2 !== undefined && !isUrl(body.init_image_2)) return error(ctx, 400, 'init_image_2 must be a URL');
  for (const side of ['width', 'height'] as const) {
    const v = Number(body[side] ?? 512);
    if (!Number.isInteger(v) || v < 256 || v > 1024) return error(ctx, 400, `${side} must be between 256 and 1024`);
    if (v % 8 !== 0) return error(ctx, 400, `${side} must be divisible by 8`);
  }
  const strength = Number(body.strength ?? 0.5);
  if (!(strength >= 0 && strength <= 1)) return error(ctx, 400, 'strength must be between 0 and 1');
  const guidance = Number(body.guidance ?? 2.5);
  if (!(guidance >= 0 && guidance <= 20)) return error(ctx, 400, 'guidance must be between 0 and 20');
  const id = nextId(ctx);
  const urls = await output(ctx, seedOf(body));
  ctx.send(200, {
    status: 'success',
    generationTime: 2.4,
    id,
    output: urls,
    proxy_links: urls,
    nsfw_content_detected: false,
    meta: { seed: body.seed },
  });
}

/** Laravel-style validation: `{field: ["…"]}`, or undefined when the body passes. */
function v7Problems(body: Record<string, unknown>): Record<string, string[]> | undefined {
  const problems: Record<string, string[]> = {};
  if (typeof body.prompt !== 'string' || !body.prompt.trim()) problems.prompt = ['The prompt field is required.'];
  const images = Array.isArray(body.init_image) ? body.init_image : [body.init_image];
  if (images.length === 0 || images.length > 9 || !images.every(isUrl)) problems.init_image = ['The init image field is required.'];
  if (body.seed !== undefined && !(Number.isInteger(body.seed) && Number(body.seed) >= 0 && Number(body.seed) <= 2147483647)) {
    problems.seed = ['The seed must be between 0 and 2147483647.'];
  }
  return Object.keys(problems).length ? problems : undefined;
}

async function handleV7(ctx: FakeContext) {
  const body = ctx.json<Record<string, unknown>>();
  if (commonFailure(ctx, body) || !body) return;
  if (await submitFailure(ctx, seedOf(body))) return;
  if (typeof body.model_id !== 'string' || !V7_MODELS.has(body.model_id))
    return error(ctx, 400, `Model not found: ${String(body.model_id)}`);
  const problems = v7Problems(body);
  if (problems) return ctx.send(200, { status: 'error', message: problems });
  const id = nextId(ctx);
  // The image is made now so `future_links` can name where it will be, as ModelsLab's queue does.
  const job: Job = { id, seed: seedOf(body), polls: 0, output: await output(ctx, seedOf(body)) };
  ctx.store.set(`job:${id}`, job);
  ctx.send(200, {
    status: 'processing',
    tip: 'Your image is processing in background, you can get this image using fetch API',
    eta: 2,
    message: 'Request processing',
    fetch_result: `${ctx.baseUrl}/v7/images/fetch/${id}`,
    id,
    output: [],
    future_links: job.output,
    proxy_links: [],
    meta: {},
  });
}

async function handleFetch(ctx: FakeContext) {
  const body = ctx.json<Record<string, unknown>>();
  if (commonFailure(ctx, body)) return;
  const id = Number(ctx.url.pathname.split('/').pop());
  const job = ctx.store.get(`job:${id}`) as Job | undefined;
  if (!job) return error(ctx, 404, 'Request id not found');
  job.polls += 1;
  if (ctx.mode === 'fail_in_200')
    return ctx.send(200, { status: 'failed', id, message: 'Image generation failed, please try again.', output: '' });
  if (ctx.mode === 'content_policy') return ctx.send(200, flagged(id, await output(ctx, job.seed)));
  if (job.polls === 1)
    return ctx.send(200, {
      status: 'processing',
      id,
      message: 'Your request is being processed',
      output: '',
      eta: 1,
      future_links: job.output,
    });
  ctx.send(200, { status: 'success', id, output: [], output_url: job.output[0], future_links: job.output, proxy_links: [], meta: {} });
}

function handleUploaded(ctx: FakeContext) {
  const file = ctx.store.get(`upload:${ctx.url.pathname.split('/').pop()}`) as { bytes: Buffer; mime: string } | undefined;
  if (!file) return error(ctx, 404, 'File not found');
  ctx.res.writeHead(200, { 'content-type': file.mime, 'content-length': String(file.bytes.length) });
  ctx.res.end(file.bytes);
}

export function startModelsLabFake(port = 0): Promise<FakeServer> {
  return startFake(
    'modelslab',
    async (ctx) => {
      const { pathname } = ctx.url;
      const post = ctx.req.method === 'POST';
      if (post && pathname === '/v6/image_editing/base64_to_url') return handleUpload(ctx);
      if (post && pathname === '/v6/images/img2img') return handleKontext(ctx);
      if (post && pathname === '/v7/images/image-to-image') return handleV7(ctx);
      if (post && /^\/v[67]\/images\/fetch\/\d+$/.test(pathname)) return handleFetch(ctx);
      if (ctx.req.method === 'GET' && pathname.startsWith('/uploads/')) return handleUploaded(ctx);
      error(ctx, 404, `No route for ${ctx.req.method} ${pathname}`);
    },
    port,
  );
}
