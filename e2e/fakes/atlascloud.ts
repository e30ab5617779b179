/**
 * A fake Atlas Cloud media API (sources in lib/server/providers/atlascloud/): Bearer auth,
 *   POST /api/v1/model/uploadMedia        multipart `file` → data.download_url
 *   POST /api/v1/model/generateImage      flat `{model, prompt, images, …}` → data.id
 *   GET  /api/v1/model/prediction/{id}    data.status starting → processing → completed | failed
 * Every answer is the `{code, msg, request_id, data}` envelope with an X-Request-ID header; an
 * unknown path answers 401, as Atlas documents ("a wrong URL path also gives 401").
 *
 * Lifecycle by poll count: 1st poll `starting`, 2nd `processing`, 3rd and later `completed`
 * (or `failed`). A prediction id the fake never issued answers 404.
 *
 * Where each failure mode hits, the way Atlas reports it (docs/en/errors):
 *   auth (401), rate_limit (429, no Retry-After: the media endpoints send none), server_error
 *   (500), malformed_json, hang: any API request.
 *   insufficient_funds (402), bad_input (400 with `msg`): at generateImage.
 *   fail_in_200: the prediction ends `failed` inside HTTP 200 with a free-text `error`.
 *   content_policy: the prediction ends `failed` with `error_code: 1039` (input moderation).
 *   Both job modes act when current at submit (the prediction remembers) or at a poll.
 * A body wrapped in `input: {…}` is accepted with an id, and the prediction then fails
 * "Field required", as a third-party probe of the real API reported.
 */
import { randomUUID } from 'node:crypto';
import { fakeImage, header, parseMultipart, startFake, type FakeContext, type FakeServer } from './kit';

/** Models the fake serves, with the reference count each accepts. */
export const ATLASCLOUD_FAKE_MODELS: Record<string, number> = {
  'alibaba/wan-2.7/image-edit': 3,
  'alibaba/wan-2.7-pro/image-edit': 3,
};

type Fate = 'ok' | 'fail' | 'moderated' | 'wrapped';
type Job = { id: string; model: string; seed: number; polls: number; fate: Fate; output?: string };
type Media = { bytes: Buffer; mime: string };

function envelope(ctx: FakeContext, status: number, msg: string, data: unknown = null, headers: Record<string, string> = {}): void {
  const requestId = randomUUID();
  ctx.send(status, { code: status, msg, request_id: requestId, data }, { 'x-request-id': requestId, ...headers });
}

export function startAtlasCloudFake(port = 0): Promise<FakeServer> {
  return startFake('atlascloud', handle, port);
}

async function handle(ctx: FakeContext): Promise<void> {
  const path = ctx.url.pathname;
  const method = ctx.req.method ?? 'GET';

  // Uploaded media are public links: the model server fetches them without a key.
  const media = /^\/media\/([\w-]+)/.exec(path);
  if (media && method === 'GET') {
    const m = ctx.store.get(`media:${media[1]}`) as Media | undefined;
    if (!m) return envelope(ctx, 404, 'file not found');
    ctx.res.writeHead(200, { 'content-type': m.mime, 'content-length': String(m.bytes.length) });
    return void ctx.res.end(m.bytes);
  }

  if (!/^Bearer \S+$/.test(header(ctx, 'authorization') ?? '') || ctx.mode === 'auth') return envelope(ctx, 401, 'unauthorized');
  switch (ctx.mode) {
    case 'rate_limit':
      return envelope(ctx, 429, 'rate limit exceeded, please slow down');
    case 'server_error':
      return envelope(ctx, 500, 'internal server error');
    case 'malformed_json':
      return ctx.send(200, '<html><body>502 Bad Gateway</body></html>');
    default:
      break;
  }

  if (path === '/api/v1/model/uploadMedia' && method === 'POST') return upload(ctx);
  if (path === '/api/v1/model/generateImage' && method === 'POST') return submit(ctx);
  const prediction = /^\/api\/v1\/model\/prediction\/([\w-]+)\/?$/.exec(path);
  if (prediction && method === 'GET') return poll(ctx, prediction[1] ?? '');
  return envelope(ctx, 401, 'unauthorized');
}

function sniff(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString() === 'RIFF' && bytes.subarray(8, 12).toString() === 'WEBP') return 'image/webp';
  return undefined;
}

async function upload(ctx: FakeContext): Promise<void> {
  const form = await parseMultipart(ctx);
  const file = form?.get('file');
  if (!form || !file || typeof file === 'string') return envelope(ctx, 400, 'multipart field "file" is required');
  const bytes = Buffer.from(await file.arrayBuffer());
  const mime = sniff(bytes);
  if (!mime) return envelope(ctx, 400, 'unsupported file type');
  const id = randomUUID();
  ctx.store.set(`media:${id}`, { bytes, mime } satisfies Media);
  const filename = file.name || 'upload';
  envelope(ctx, 200, 'success', {
    type: 'image',
    download_url: `${ctx.baseUrl}/media/${id}/${encodeURIComponent(filename)}`,
    filename,
    size: bytes.length,
  });
}

/** The Wan 2.7 edit fields as third-party clients describe them; a refusal is a 400 whose `msg` names the field. */
function validate(ctx: FakeContext, model: string, body: Record<string, unknown>): string | undefined {
  const max = ATLASCLOUD_FAKE_MODELS[model] ?? 0;
  if (typeof body.prompt !== 'string' || !body.prompt.trim()) return 'prompt: Field required';
  const images = body.images;
  if (!Array.isArray(images) || images.length === 0) return 'images: Field required';
  if (images.length > max) return `images: at most ${max} items`;
  for (const img of images) {
    if (typeof img !== 'string' || !/^(https?:\/\/|data:image\/)/.test(img)) return 'images: must be URLs or data URIs';
    const local = /\/media\/([\w-]+)/.exec(img);
    if (img.startsWith(ctx.baseUrl) && (!local || !ctx.store.has(`media:${local[1]}`))) return `images: cannot download ${img}`;
  }
  if (body.size !== undefined && body.size !== '1K' && body.size !== '2K') return 'size: must be one of 1K, 2K';
  if (body.n !== undefined && (!Number.isInteger(body.n) || (body.n as number) < 1 || (body.n as number) > 4)) return 'n: must be 1 to 4';
  if (body.seed !== undefined && (!Number.isInteger(body.seed) || (body.seed as number) < -1 || (body.seed as number) > 2147483647)) {
    return 'seed: must be an integer between -1 and 2147483647';
  }
  return undefined;
}

async function submit(ctx: FakeContext): Promise<void> {
  const body = ctx.json<Record<string, unknown>>();
  if (!body || typeof body !== 'object') return envelope(ctx, 400, 'request body is not valid JSON');
  const model = typeof body.model === 'string' ? body.model : '';
  if (!model) return envelope(ctx, 400, 'model: Field required');
  if (!(model in ATLASCLOUD_FAKE_MODELS)) return envelope(ctx, 404, `model ${model} not found`);
  if (ctx.mode === 'insufficient_funds') return envelope(ctx, 402, 'insufficient balance, please top up');
  if (ctx.mode === 'bad_input') return envelope(ctx, 400, 'images: image side must be between 240 and 8000 pixels');
  const wrapped = typeof body.input === 'object' && body.input !== null;
  if (!wrapped) {
    const problem = validate(ctx, model, body);
    if (problem) return envelope(ctx, 400, problem);
  }
  const job: Job = {
    id: randomUUID().replace(/-/g, ''),
    model,
    seed: typeof body.seed === 'number' ? body.seed : 0,
    polls: 0,
    fate: wrapped ? 'wrapped' : (fateOf(ctx) ?? 'ok'),
  };
  ctx.store.set(`job:${job.id}`, job);
  envelope(ctx, 200, 'success', { id: job.id, status: 'starting' });
}

function fateOf(ctx: FakeContext): Fate | undefined {
  if (ctx.mode === 'fail_in_200') return 'fail';
  if (ctx.mode === 'content_policy') return 'moderated';
  return undefined;
}

const FAILURES: Record<Exclude<Fate, 'ok'>, { error: string; error_code?: number }> = {
  fail: { error: 'inference failed: upstream worker error, please retry' },
  moderated: { error: 'the input was rejected by content moderation', error_code: 1039 },
  wrapped: { error: 'prompt: Field required' },
};

async function poll(ctx: FakeContext, id: string): Promise<void> {
  const job = ctx.store.get(`job:${id}`) as Job | undefined;
  if (!job) return envelope(ctx, 404, `prediction ${id} not found`);
  if (job.fate !== 'wrapped') job.fate = fateOf(ctx) ?? job.fate;
  job.polls += 1;
  const status = job.polls <= 1 ? 'starting' : job.polls === 2 ? 'processing' : job.fate === 'ok' ? 'completed' : 'failed';
  const data: Record<string, unknown> = { id: job.id, model: job.model, status, outputs: [] };
  if (status === 'completed') {
    job.output ??= ctx.issueOutput(await fakeImage(job.seed, 256, 256, 'png'), 'image/png');
    data.outputs = [job.output];
    data.metrics = { predict_time: 2.5 };
  }
  if (status === 'failed' && job.fate !== 'ok') Object.assign(data, FAILURES[job.fate]);
  envelope(ctx, 200, 'success', data);
}
