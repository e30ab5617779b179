/**
 * A fake WaveSpeed AI speaking its documented protocol (see lib/server/providers/wavespeed/
 * for sources): Bearer auth, `POST /api/v3/{model}`, `GET /api/v3/predictions/{id}/result`,
 * the `{code, message, data}` envelope, and both upload flows:
 * - two-step (WaveSpeedAI/wavespeed-python@a4207182 `upload()`): `POST /api/v3/media/uploads
 *   {filename, size, content_type}` → `data.upload {method: "PUT", url, headers}` + `data.download_url`;
 *   `PUT /__storage/:id` plays the signed storage URL and refuses what such a URL refuses: an
 *   Authorization header ("only one auth mechanism", as S3-style presigned URLs answer), headers
 *   other than the signed ones, a body of another size, and a second PUT (`If-None-Match: *`).
 *   The download URL serves only once the PUT has landed.
 * - one request: `POST /api/v3/media/upload/binary`, multipart `file` (the JS SDK's flow).
 *
 * Lifecycle, driven by poll count so tests are fast: 1st poll `created`, 2nd `processing`,
 * 3rd and later `completed` (or `failed`). `enable_sync_mode: true` answers `completed` at once.
 *
 * Where each failure mode hits, the way WaveSpeed reports it:
 *   auth, rate_limit, server_error, malformed_json, hang: any API request (upload, submit, poll).
 *   insufficient_funds, bad_input: requests that create something (upload, submit); a poll ignores them.
 *   fail_in_200: the job fails; the poll answers HTTP 200 `data.status: "failed"` with `data.error`.
 *   content_policy: moderation flags the OUTPUT: `completed` with `has_nsfw_contents: [true]`.
 *   Both job modes act when they are current at submit (the job remembers) or at a poll.
 */
import { randomUUID } from 'node:crypto';
import { fakeImage, header, parseMultipart, startFake, type FakeContext, type FakeServer } from './kit';
import { callBackLater, WAVESPEED_FAKE_WEBHOOK_SECRET, waveSpeedSigned } from './webhook-sender';

/** Models the fake serves, with the reference count each accepts. */
export const WAVESPEED_FAKE_MODELS: Record<string, number> = {
  'alibaba/wan-2.7/image-edit': 3,
  'alibaba/wan-2.7/image-edit-pro': 3,
  'alibaba/wan-2.6/image-edit': 3,
  'alibaba/wan-2.5/image-edit': 2,
};

type Fate = 'ok' | 'fail' | 'nsfw';
type Job = { id: string; model: string; seed: number; polls: number; fate: Fate; output?: string; createdAt: string };
type Media = { bytes: Buffer; mime: string };

const fail = (ctx: FakeContext, status: number, message: string, headers?: Record<string, string>) =>
  ctx.send(status, { code: status, message, data: null }, headers);

export function startWaveSpeedFake(port = 0): Promise<FakeServer> {
  return startFake('wavespeed', handle, port);
}

async function handle(ctx: FakeContext): Promise<void> {
  const path = ctx.url.pathname;
  const method = ctx.req.method ?? 'GET';

  // The signed storage URL: no key, no failure modes (storage, not the API).
  const storage = /^\/__storage\/([\w-]+)$/.exec(path);
  if (storage && method === 'PUT') return putStorage(ctx, storage[1] ?? '');

  // Uploaded media are public links (the model server fetches them without a key).
  const media = /^\/media\/([\w-]+)/.exec(path);
  if (media && method === 'GET') {
    const m = ctx.store.get(`media:${media[1]}`) as Media | undefined;
    if (!m) return fail(ctx, 404, 'file not found');
    ctx.res.writeHead(200, { 'content-type': m.mime, 'content-length': String(m.bytes.length) });
    return void ctx.res.end(m.bytes);
  }

  if (!/^Bearer \S+$/.test(header(ctx, 'authorization') ?? '')) {
    return fail(ctx, 401, 'Unauthorized: set the header "Authorization: Bearer <your API key>".');
  }
  const creates = method === 'POST';
  switch (ctx.mode) {
    case 'auth':
      return fail(ctx, 401, 'Invalid API key.');
    case 'rate_limit':
      return fail(ctx, 429, 'Too many requests: rate limit of your account level exceeded.', { 'retry-after': '1' });
    case 'server_error':
      return fail(ctx, 500, 'Internal server error.');
    case 'malformed_json':
      return ctx.send(200, '<html><body>502 Bad Gateway</body></html>');
    case 'insufficient_funds':
      if (creates) return fail(ctx, 403, 'Insufficient balance. Please top up your account.');
      break;
    case 'bad_input':
      if (creates) return fail(ctx, 400, 'Invalid request: "images" must contain 1 to 3 image URLs.');
      break;
    default:
      break;
  }

  // The webhook signing secret (https://wavespeed.ai/docs/verify-webhooks).
  if (path === '/api/v3/webhook/secret' && method === 'GET')
    return ctx.send(200, { code: 200, message: 'success', data: { secret: WAVESPEED_FAKE_WEBHOOK_SECRET } });
  if (path === '/api/v3/media/upload/binary' && method === 'POST') return upload(ctx);
  if (path === '/api/v3/media/uploads' && method === 'POST') return ticket(ctx);
  const result = /^\/api\/v3\/predictions\/([\w-]+)(\/result)?$/.exec(path);
  if (result && method === 'GET') return poll(ctx, result[1] ?? '');
  if (path.startsWith('/api/v3/') && method === 'POST') return submit(ctx, path.slice('/api/v3/'.length));
  return fail(ctx, 404, `No route: ${method} ${path}`);
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
  if (!form || !file || typeof file === 'string') return fail(ctx, 400, 'Multipart field "file" is required.');
  const bytes = Buffer.from(await file.arrayBuffer());
  const mime = sniff(bytes);
  if (!mime) return fail(ctx, 400, 'Unsupported file type.');
  const id = randomUUID();
  ctx.store.set(`media:${id}`, { bytes, mime } satisfies Media);
  const filename = file.name || 'upload';
  ctx.send(200, {
    code: 200,
    message: 'success',
    data: { type: 'image', download_url: `${ctx.baseUrl}/media/${id}/${encodeURIComponent(filename)}`, filename, size: bytes.length },
  });
}

type Ticket = { filename: string; size: number; contentType: string; used: boolean };

function ticket(ctx: FakeContext): void {
  const body = ctx.json<Record<string, unknown>>();
  const filename = typeof body?.filename === 'string' ? body.filename : '';
  const size = body?.size;
  if (!filename) {
    fail(ctx, 400, '"filename" is required.');
    return;
  }
  if (!Number.isInteger(size) || Number(size) <= 0) {
    fail(ctx, 400, '"size" must be a positive integer (bytes).');
    return;
  }
  const contentType = typeof body?.content_type === 'string' ? body.content_type : 'application/octet-stream';
  if (!contentType.startsWith('image/')) {
    fail(ctx, 400, 'Unsupported file type.');
    return;
  }
  const id = randomUUID();
  ctx.store.set(`ticket:${id}`, { filename, size: Number(size), contentType, used: false } satisfies Ticket);
  ctx.send(200, {
    code: 200,
    message: 'success',
    data: {
      type: 'image',
      download_url: `${ctx.baseUrl}/media/${id}/${encodeURIComponent(filename)}`,
      filename,
      size,
      upload: { method: 'PUT', url: `${ctx.baseUrl}/__storage/${id}`, headers: { 'Content-Type': contentType, 'If-None-Match': '*' } },
    },
  });
}

/** S3-style answers of a presigned PUT URL. */
function putStorage(ctx: FakeContext, id: string): void {
  const t = ctx.store.get(`ticket:${id}`) as Ticket | undefined;
  const xml = (status: number, code: string, message: string) =>
    ctx.send(status, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
  if (!t) {
    xml(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    return;
  }
  if (header(ctx, 'authorization')) {
    xml(
      400,
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    );
    return;
  }
  if (header(ctx, 'content-type') !== t.contentType) {
    xml(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    return;
  }
  if (header(ctx, 'if-none-match') !== '*') {
    xml(403, 'SignatureDoesNotMatch', 'Signed header if-none-match is missing.');
    return;
  }
  if (t.used) {
    xml(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    return;
  }
  if (ctx.body.length !== t.size) {
    xml(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
    return;
  }
  t.used = true;
  ctx.store.set(`media:${id}`, { bytes: ctx.body, mime: t.contentType } satisfies Media);
  ctx.send(200, '');
}

/** Field checks as the model pages document them; a refusal is a 400 in the envelope. */
function validate(ctx: FakeContext, model: string, body: Record<string, unknown>): string | undefined {
  const max = WAVESPEED_FAKE_MODELS[model] ?? 0;
  if (typeof body.prompt !== 'string' || !body.prompt.trim()) return '"prompt" is required.';
  const images = body.images;
  if (!Array.isArray(images) || images.length === 0) return '"images" is required.';
  if (images.length > max) return `"images" accepts at most ${max} items.`;
  for (const img of images) {
    if (typeof img !== 'string' || !/^https?:\/\//.test(img)) return '"images" must be URLs.';
    const local = /\/media\/([\w-]+)/.exec(img);
    if (img.startsWith(ctx.baseUrl) && (!local || !ctx.store.has(`media:${local[1]}`))) return `cannot download image ${img}`;
  }
  if (body.seed !== undefined && (!Number.isInteger(body.seed) || (body.seed as number) < -1 || (body.seed as number) > 2147483647)) {
    return '"seed" must be an integer between -1 and 2147483647.';
  }
  if (body.negative_prompt !== undefined && typeof body.negative_prompt !== 'string') return '"negative_prompt" must be a string.';
  if (model === 'alibaba/wan-2.5/image-edit' && body.size !== undefined) {
    const m = typeof body.size === 'string' ? /^(\d+)\*(\d+)$/.exec(body.size) : null;
    const w = Number(m?.[1]);
    const h = Number(m?.[2]);
    if (!m || w * h < 768 * 768 || w * h > 1280 * 1280 || w / h > 4 || h / w > 4) {
      return '"size" must be "W*H" with total pixels between 768*768 and 1280*1280 and aspect between 1:4 and 4:1.';
    }
  }
  return undefined;
}

async function submit(ctx: FakeContext, model: string): Promise<void> {
  if (!(model in WAVESPEED_FAKE_MODELS)) return fail(ctx, 404, `Model ${model} not found.`);
  const body = ctx.json<Record<string, unknown>>();
  if (!body || typeof body !== 'object') return fail(ctx, 400, 'Request body must be JSON.');
  const problem = validate(ctx, model, body);
  if (problem) return fail(ctx, 400, problem);
  const job: Job = {
    id: randomUUID().replace(/-/g, ''),
    model,
    seed: typeof body.seed === 'number' ? body.seed : 0,
    polls: 0,
    fate: fateOf(ctx) ?? 'ok',
    createdAt: new Date().toISOString(),
  };
  ctx.store.set(`job:${job.id}`, job);
  if (body.enable_sync_mode === true) job.polls = 2;
  ctx.send(200, { code: 200, message: 'success', data: await view(ctx, job, body.enable_sync_mode === true) });
  const hook = ctx.url.searchParams.get('webhook');
  if (hook) {
    callBackLater(hook, async () => {
      // Done: the view moves it to completed (or failed); the next poll reads the same.
      job.polls = Math.max(job.polls, 2);
      const text = JSON.stringify(await view(ctx, job, true));
      job.polls -= 1; // the callback's view is not a poll
      return { body: text, headers: waveSpeedSigned(text) };
    });
  }
}

function fateOf(ctx: FakeContext): Fate | undefined {
  if (ctx.mode === 'fail_in_200') return 'fail';
  if (ctx.mode === 'content_policy') return 'nsfw';
  return undefined;
}

async function poll(ctx: FakeContext, id: string): Promise<void> {
  const job = ctx.store.get(`job:${id}`) as Job | undefined;
  if (!job) return fail(ctx, 404, 'Prediction not found.');
  job.fate = fateOf(ctx) ?? job.fate;
  ctx.send(200, { code: 200, message: 'success', data: await view(ctx, job, true) });
}

async function view(ctx: FakeContext, job: Job, advance: boolean): Promise<Record<string, unknown>> {
  if (advance) job.polls += 1;
  const status = job.polls <= 1 ? 'created' : job.polls === 2 ? 'processing' : job.fate === 'fail' ? 'failed' : 'completed';
  if (status === 'completed' && !job.output) {
    job.output = ctx.issueOutput(await fakeImage(job.seed, 256, 256, 'png'), 'image/png');
  }
  return {
    id: job.id,
    model: job.model,
    status,
    outputs: status === 'completed' && job.output ? [job.output] : [],
    urls: { get: `${ctx.baseUrl}/api/v3/predictions/${job.id}/result` },
    has_nsfw_contents: status === 'completed' ? [job.fate === 'nsfw'] : [],
    error: status === 'failed' ? 'Inference failed: the worker ran out of GPU memory. Please retry.' : '',
    timings: { inference: status === 'completed' ? 2500 : 0 },
    created_at: job.createdAt,
  };
}
