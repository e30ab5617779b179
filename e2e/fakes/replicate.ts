/**
 * Fake Replicate predictions API. Point REPLICATE_BASE_URL at `${fake.url}/v1`.
 *
 *   POST /v1/files                                   multipart `content` → file object with urls.get
 *   POST /v1/models/{owner}/{name}/predictions       {input} (+ Prefer: wait=N, Cancel-After)
 *   GET  /v1/predictions/{id}                        the prediction
 *   POST /v1/predictions/{id}/cancel                 → status "canceled"
 *
 * Errors are RFC 7807 problem details `{title, detail, status}` as Replicate sends them.
 * Lifecycle, driven by poll count: created "starting", 1st poll "processing", 2nd poll terminal.
 * Every model "takes about 8 s": a create with `Prefer: wait=N`, N ≥ 8, returns the finished
 * prediction at once (sync mode), a shorter wait returns it "starting".
 *
 * wan-video/wan-2.7-image validates its schema as Replicate does (422 + `invalid_fields`): `size`
 * must be one of its enum ("1K" | "2K" | "4K" | 15 presets, default "2K"; "4K" and the 4096
 * presets only without input images), `num_outputs` 1–4, `images` ≤ 9, `seed` 0–2147483647
 * ([3P, generated from the model's OpenAPI] nodetool-ai/nodetool-replicate@d21aa025
 * src/nodetool/nodes/replicate/image/generate.py `Wan_2_7_Image_Pro`). "1K"/"2K" follow the first
 * image's shape; outputs are rendered at most 1024² in area to keep tests fast.
 *
 * Where each mode hits, as Replicate would report it:
 * - at once, on any API call: auth (401), insufficient_funds (402), rate_limit (429 +
 *   Retry-After: 1 + "resets in ~1s"), server_error (500), malformed_json (200, cut JSON).
 * - at create: bad_input (422 "Input validation failed"), as schema validation happens there.
 * - during the job (the create succeeds, the prediction ends HTTP 200 `status: "failed"`):
 *   fail_in_200 ("Prediction interrupted; please retry (code: PA)") and content_policy (output
 *   moderation: E005 for Kontext, cog-flux's NSFW message for flux-dev).
 */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { fakeImage, header, parseMultipart, startFake, type FakeContext, type FakeServer } from './kit';
import { callBackLater, REPLICATE_FAKE_WEBHOOK_SECRET, replicateSigned } from './webhook-sender';

type Fate = 'ok' | 'fail' | 'nsfw';
type Job = {
  id: string;
  model: string;
  input: Record<string, unknown>;
  status: 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  polls: number;
  fate: Fate;
  output: string | string[] | null;
  error: string | null;
  createdAt: string;
  completedAt?: string;
};
type StoredFile = { id: string; name: string; type: string; size: number };

const MODELS = new Set([
  'black-forest-labs/flux-kontext-pro',
  'black-forest-labs/flux-kontext-max',
  'black-forest-labs/flux-dev',
  'wan-video/wan-2.7-image',
]);
const KONTEXT_RATIOS: Record<string, [number, number]> = {
  '1:1': [1024, 1024],
  '16:9': [1344, 768],
  '9:16': [768, 1344],
  '4:3': [1152, 864],
  '3:4': [864, 1152],
  '3:2': [1216, 832],
  '2:3': [832, 1216],
  '4:5': [896, 1120],
  '5:4': [1120, 896],
  '21:9': [1568, 672],
  '9:21': [672, 1568],
  '2:1': [1408, 704],
  '1:2': [704, 1408],
};
const SYNC_SECONDS = 8;
const WAN_TIERS = ['1K', '2K', '4K'];
const WAN_PRESETS = [
  '1024*1024',
  '2048*2048',
  '4096*4096',
  '1280*720',
  '720*1280',
  '2048*1152',
  '1152*2048',
  '4096*2304',
  '2304*4096',
  '1024*768',
  '768*1024',
  '2048*1536',
  '1536*2048',
  '4096*3072',
  '3072*4096',
];

function problem(
  ctx: FakeContext,
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
) {
  ctx.send(status, { title, detail, status, ...extra }, headers);
}

export async function startReplicateFake(port = 0): Promise<FakeServer> {
  return startFake('replicate', handle, port);
}

async function handle(ctx: FakeContext): Promise<void> {
  const { pathname } = ctx.url;
  const method = ctx.req.method ?? 'GET';
  // Replicate takes `Bearer` (and the older `Token`) scheme.
  const token = /^(?:Bearer|Token)\s+(\S+)$/.exec(header(ctx, 'authorization') ?? '')?.[1];
  if (!token) return problem(ctx, 401, 'Unauthenticated', 'You did not pass a valid authentication token');

  switch (ctx.mode) {
    // Worst case for redaction: a vendor that echoes the token it refused.
    case 'auth':
      return problem(ctx, 401, 'Unauthenticated', `Invalid token: ${token}`);
    case 'insufficient_funds':
      return problem(
        ctx,
        402,
        'Insufficient credit',
        'You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit.',
      );
    case 'rate_limit':
      return problem(
        ctx,
        429,
        'Request was throttled.',
        'Request was throttled. Your rate limit resets in ~1s.',
        {},
        { 'retry-after': '1' },
      );
    case 'server_error':
      return problem(ctx, 500, 'Internal Server Error', 'An unexpected error occurred.');
    case 'malformed_json':
      return ctx.send(200, '{"id":"cut","status":"start', { 'content-type': 'application/json' });
    default:
      break;
  }

  // The signing secret of webhooks (https://replicate.com/docs/topics/webhooks/verify-webhook).
  if (method === 'GET' && pathname === '/v1/webhooks/default/secret') return ctx.send(200, { key: REPLICATE_FAKE_WEBHOOK_SECRET });
  if (method === 'POST' && pathname === '/v1/files') return createFile(ctx);
  const create = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(pathname);
  if (method === 'POST' && create) return createPrediction(ctx, `${decodeURIComponent(create[1]!)}/${decodeURIComponent(create[2]!)}`);
  const get = /^\/v1\/predictions\/([^/]+)$/.exec(pathname);
  if (method === 'GET' && get) return getPrediction(ctx, decodeURIComponent(get[1]!));
  const cancel = /^\/v1\/predictions\/([^/]+)\/cancel$/.exec(pathname);
  if (method === 'POST' && cancel) return cancelPrediction(ctx, decodeURIComponent(cancel[1]!));
  return problem(ctx, 404, 'Not found', 'The requested resource could not be found.');
}

async function createFile(ctx: FakeContext): Promise<void> {
  const form = await parseMultipart(ctx);
  const content = form?.get('content');
  if (!(content instanceof Blob)) return problem(ctx, 400, 'Bad request', 'Missing file content (multipart field "content").');
  const id = randomBytes(8).toString('hex');
  const file: StoredFile = {
    id,
    name: content instanceof File ? content.name : 'blob',
    type: content.type || 'application/octet-stream',
    size: content.size,
  };
  ctx.store.set(`file:${id}`, file);
  ctx.send(201, fileObject(ctx, file));
}

function fileObject(ctx: FakeContext, f: StoredFile) {
  const created = new Date();
  return {
    id: f.id,
    name: f.name,
    content_type: f.type,
    size: f.size,
    checksums: {},
    metadata: {},
    created_at: created.toISOString(),
    expires_at: new Date(created.getTime() + 86_400_000).toISOString(),
    urls: { get: `${ctx.baseUrl}/v1/files/${f.id}` },
  };
}

type Invalid = { field: string; type: string; description: string };

/** Each model's schema, as far as this app uses it (sources in lib/server/providers/replicate/wire.ts). */
async function validate(ctx: FakeContext, model: string, input: Record<string, unknown>): Promise<Invalid[]> {
  const bad: Invalid[] = [];
  const need = (field: string, ok: boolean, description: string, type = 'invalid') => {
    if (!ok) bad.push({ field: `input.${field}`, type, description });
  };
  need('prompt', typeof input.prompt === 'string' && input.prompt.length > 0, 'prompt is required', 'required');
  if (input.seed !== undefined) need('seed', Number.isInteger(input.seed), 'seed must be an integer');
  const images: unknown[] = [];
  if (model.includes('kontext')) {
    if (input.input_image !== undefined) images.push(input.input_image);
    need(
      'aspect_ratio',
      input.aspect_ratio === undefined || input.aspect_ratio === 'match_input_image' || String(input.aspect_ratio) in KONTEXT_RATIOS,
      'aspect_ratio is not one of the allowed values',
    );
    need(
      'output_format',
      input.output_format === undefined || input.output_format === 'jpg' || input.output_format === 'png',
      'output_format must be one of: jpg, png',
    );
    const tol = input.safety_tolerance ?? 2;
    need(
      'safety_tolerance',
      Number.isInteger(tol) && Number(tol) >= 0 && Number(tol) <= (input.input_image ? 2 : 6),
      'safety_tolerance must be 0-6, and 2 at most with an input image',
    );
  } else if (model === 'black-forest-labs/flux-dev') {
    if (input.image !== undefined) images.push(input.image);
    const strength = input.prompt_strength ?? 0.8;
    need('prompt_strength', typeof strength === 'number' && strength >= 0 && strength <= 1, 'prompt_strength must be between 0 and 1');
    const guidance = input.guidance ?? 3;
    need('guidance', typeof guidance === 'number' && guidance >= 0 && guidance <= 10, 'guidance must be between 0 and 10');
    need(
      'output_format',
      input.output_format === undefined || ['webp', 'jpg', 'png'].includes(String(input.output_format)),
      'output_format must be one of: webp, jpg, png',
    );
  } else {
    need('images', Array.isArray(input.images) && input.images.length <= 9, 'images must be an array of at most 9 files');
    if (Array.isArray(input.images)) images.push(...input.images);
    const size = String(input.size ?? '2K');
    need(
      'size',
      WAN_TIERS.includes(size) || WAN_PRESETS.includes(size),
      `size must be one of the following: ${[...WAN_TIERS, ...WAN_PRESETS].map((v) => `"${v}"`).join(', ')}`,
    );
    const editing = Array.isArray(input.images) && input.images.length > 0;
    need('size', !(editing && (size === '4K' || size.includes('4096'))), '4K is only available for text-to-image');
    const n = input.num_outputs ?? 1;
    need('num_outputs', Number.isInteger(n) && Number(n) >= 1 && Number(n) <= 4, 'num_outputs must be between 1 and 4');
    if (input.seed !== undefined && input.seed !== null)
      need('seed', Number(input.seed) >= 0 && Number(input.seed) <= 2147483647, 'seed must be between 0 and 2147483647');
  }
  for (const [i, v] of images.entries()) {
    const problemText = await checkFile(ctx, v);
    if (problemText) bad.push({ field: `input.image[${i}]`, type: 'invalid', description: problemText });
  }
  return bad;
}

/** A data URI must be an image; a URL on this server must be a file uploaded here. */
async function checkFile(ctx: FakeContext, v: unknown): Promise<string | undefined> {
  if (typeof v !== 'string') return 'must be a URI';
  const data = /^data:[^,]*;base64,(.*)$/s.exec(v);
  if (data) {
    const ok = await sharp(Buffer.from(data[1] ?? '', 'base64'))
      .metadata()
      .then(
        (m) => Boolean(m.width),
        () => false,
      );
    return ok ? undefined : 'cannot identify image file';
  }
  if (v.startsWith(`${ctx.baseUrl}/v1/files/`)) {
    return ctx.store.has(`file:${v.slice(`${ctx.baseUrl}/v1/files/`.length)}`) ? undefined : 'could not download file: 404';
  }
  return /^https?:\/\//.test(v) ? undefined : 'must be a URI';
}

async function createPrediction(ctx: FakeContext, model: string): Promise<void> {
  if (!MODELS.has(model)) return problem(ctx, 404, 'Not found', `Model ${model} does not exist.`);
  const body = ctx.json<{ input?: unknown; webhook?: unknown }>();
  const input = body && typeof body.input === 'object' && body.input !== null ? (body.input as Record<string, unknown>) : undefined;
  const invalid: Invalid[] = input
    ? await validate(ctx, model, input)
    : [{ field: 'input', type: 'required', description: 'input is required' }];
  if (ctx.mode === 'bad_input' && !invalid.length)
    invalid.push({ field: 'input.prompt', type: 'invalid', description: 'prompt is too long' });
  if (invalid.length || !input) {
    const detail = invalid.map((i) => `- ${i.field}: ${i.description}`).join('\n');
    return problem(ctx, 422, 'Input validation failed', `${detail}\n`, { invalid_fields: invalid });
  }
  const job: Job = {
    id: randomBytes(13).toString('base64url').toLowerCase().slice(0, 26),
    model,
    input,
    status: 'starting',
    polls: 0,
    output: null,
    error: null,
    fate: ctx.mode === 'fail_in_200' ? 'fail' : ctx.mode === 'content_policy' ? 'nsfw' : 'ok',
    createdAt: new Date().toISOString(),
  };
  ctx.store.set(`job:${job.id}`, job);
  const wait = /wait(?:=(\d+))?/.exec(header(ctx, 'prefer') ?? '');
  const waitSeconds = wait ? Number(wait[1] ?? 60) : 0;
  if (waitSeconds >= SYNC_SECONDS) await finish(ctx, job);
  ctx.send(201, predictionObject(ctx, job));
  // The `completed` event: the prediction object, signed (Standard Webhooks).
  if (typeof body?.webhook === 'string' && !job.completedAt) {
    callBackLater(body.webhook, async () => {
      if (!job.completedAt) await finish(ctx, job);
      const text = JSON.stringify(predictionObject(ctx, job));
      return { body: text, headers: replicateSigned(text) };
    });
  }
}

async function getPrediction(ctx: FakeContext, id: string): Promise<void> {
  const job = ctx.store.get(`job:${id}`) as Job | undefined;
  if (!job) return problem(ctx, 404, 'Not found', 'The requested prediction could not be found.');
  if (job.status === 'starting' || job.status === 'processing') {
    if (ctx.mode === 'fail_in_200') job.fate = 'fail';
    if (ctx.mode === 'content_policy') job.fate = 'nsfw';
    job.polls += 1;
    if (job.polls === 1) job.status = 'processing';
    else await finish(ctx, job);
  }
  ctx.send(200, predictionObject(ctx, job));
}

function cancelPrediction(ctx: FakeContext, id: string): void {
  const job = ctx.store.get(`job:${id}`) as Job | undefined;
  if (!job) {
    problem(ctx, 404, 'Not found', 'The requested prediction could not be found.');
    return;
  }
  if (job.status === 'starting' || job.status === 'processing') {
    job.status = 'canceled';
    job.completedAt = new Date().toISOString();
  }
  ctx.send(200, predictionObject(ctx, job));
}

async function finish(ctx: FakeContext, job: Job): Promise<void> {
  job.completedAt = new Date().toISOString();
  if (job.fate === 'fail') {
    job.status = 'failed';
    job.error = 'Prediction interrupted; please retry (code: PA)';
    return;
  }
  if (job.fate === 'nsfw') {
    job.status = 'failed';
    job.error = job.model.includes('kontext')
      ? 'Your input or output was flagged as sensitive. Please try again with different inputs. (E005)'
      : 'All generated images contained NSFW content. Try running it again with a different prompt.';
    return;
  }
  const [width, height] = await outputSize(job);
  const format = String(
    job.input.output_format ?? (job.model.includes('kontext') ? 'png' : job.model.includes('flux-dev') ? 'webp' : 'png'),
  );
  const png = await fakeImage(Number(job.input.seed ?? 0), width, height, format === 'jpg' ? 'jpeg' : 'png');
  const bytes = format === 'webp' ? await sharp(png).webp().toBuffer() : png;
  const url = ctx.issueOutput(bytes, format === 'jpg' ? 'image/jpeg' : `image/${format}`);
  job.output = job.model.includes('kontext') ? url : [url];
  job.status = 'succeeded';
}

/** Kontext: the ratio's size or the input's; flux-dev: the input's, ≤1440, multiples of 16; Wan: the preset or the input's shape. */
async function outputSize(job: Job): Promise<[number, number]> {
  const ratio = KONTEXT_RATIOS[String(job.input.aspect_ratio)];
  if (ratio) return ratio;
  const size = /^(\d+)\*(\d+)$/.exec(String(job.input.size ?? ''));
  if (size) return within1024Squared(Number(size[1]), Number(size[2]));
  const first = job.input.input_image ?? job.input.image ?? (Array.isArray(job.input.images) ? job.input.images[0] : undefined);
  const data = typeof first === 'string' ? /^data:[^,]*;base64,(.*)$/s.exec(first) : null;
  let [w, h] = [1024, 1024];
  if (data?.[1]) {
    const meta = await sharp(Buffer.from(data[1], 'base64')).metadata();
    [w, h] = [meta.width ?? 1024, meta.height ?? 1024];
  }
  if (job.model === 'black-forest-labs/flux-dev') {
    const scale = Math.min(1440 / w, 1440 / h, 1);
    [w, h] = [Math.max(16, Math.round((w * scale) / 16) * 16), Math.max(16, Math.round((h * scale) / 16) * 16)];
  }
  if (job.model === 'wan-video/wan-2.7-image') return within1024Squared(w, h);
  return [w, h];
}

function within1024Squared(w: number, h: number): [number, number] {
  const scale = Math.min(1, Math.sqrt((1024 * 1024) / (w * h)));
  return [Math.round(w * scale), Math.round(h * scale)];
}

function predictionObject(ctx: FakeContext, job: Job) {
  const url = `${ctx.baseUrl}/v1/predictions/${job.id}`;
  return {
    id: job.id,
    model: job.model,
    version: 'hidden',
    input: job.input,
    logs: '',
    output: job.output,
    data_removed: false,
    error: job.error,
    status: job.status,
    created_at: job.createdAt,
    ...(job.completedAt ? { completed_at: job.completedAt } : {}),
    urls: { get: url, cancel: `${url}/cancel`, web: `https://replicate.com/p/${job.id}` },
    metrics: job.status === 'succeeded' ? { predict_time: 2.5 } : {},
  };
}
