/**
 * Fake Stability AI: v1 SDXL image-to-image and v2beta `generate/sd3`, multipart in, JSON
 * (base64) or raw bytes out, synchronous. Shapes: v1 errors `{id, name, message}` (Stability's
 * spec/v1.yaml), v2beta errors `{id, name, errors:[...]}`; see lib/server/providers/stability/.
 *
 * Modes (Stability is synchronous, so every mode hits the one request):
 *   fail_in_200        200 with finish_reason / finishReason CONTENT_FILTERED (blurred output):
 *                      Stability's documented "succeeded but the output violated policy"
 *   rate_limit         429 + Retry-After: 1        server_error   500 internal_error
 *   malformed_json     200, JSON content type, HTML body
 *   auth               401 unauthorized, echoing the key (proves the adapter redacts it)
 *   insufficient_funds 402 payment_required        content_policy 403 content_moderation
 *                      (v1: 400 invalid_prompts)
 *   bad_input          400 bad_request naming a field
 * Extra route: GET /__inspect/forms — every multipart request's fields and file facts.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { fakeImage, header, parseMultipart, startFake, type FakeContext, type FakeServer } from './kit';

const V1_ENGINES = ['stable-diffusion-xl-1024-v1-0', 'stable-diffusion-v1-6'];
const SDXL_SIZES = ['1024x1024', '1152x896', '1216x832', '1344x768', '1536x640', '640x1536', '768x1344', '832x1216', '896x1152'];
const SD3_MODELS = ['sd3', 'sd3-turbo', 'sd3-large', 'sd3-large-turbo', 'sd3-medium', 'sd3.5-large', 'sd3.5-large-turbo', 'sd3.5-medium'];

export type RecordedForm = {
  path: string;
  fields: Record<string, string>;
  files: Record<string, { filename: string; type: string; size: number; width?: number; height?: number }>;
};

type Api = 'v1' | 'v2beta';
type FileFacts = { bytes: Buffer; width: number; height: number };

export function startStabilityFake(port = 0): Promise<FakeServer> {
  return startFake('stability', handle, port);
}

async function handle(ctx: FakeContext): Promise<void> {
  const path = ctx.url.pathname;
  if (path === '/__inspect/forms') return ctx.send(200, (ctx.store.get('forms') as RecordedForm[] | undefined) ?? []);

  const v1 = /^\/v1\/generation\/([^/]+)\/image-to-image$/.exec(path);
  const api: Api | undefined = v1 ? 'v1' : path === '/v2beta/stable-image/generate/sd3' ? 'v2beta' : undefined;
  if (!api) return ctx.send(404, { id: randomUUID(), name: 'not_found', errors: [`${path} was not found`] });
  const fail = (status: number, name: string, message: string, headers?: Record<string, string>) =>
    ctx.send(status, api === 'v1' ? { id: randomUUID(), name, message } : { id: randomUUID(), name, errors: [message] }, headers);
  if (ctx.req.method !== 'POST') return fail(405, 'method_not_allowed', `${ctx.req.method} is not allowed`);

  const auth = header(ctx, 'authorization');
  if (!auth) return fail(401, 'unauthorized', 'missing authorization header');
  if (!/^Bearer \S+$/.test(auth)) return fail(401, 'unauthorized', 'authorization: the key must be sent as "Bearer <key>"');

  switch (ctx.mode) {
    case 'rate_limit':
      return fail(429, 'rate_limit_exceeded', 'You have exceeded the rate limit of 150 requests within a 10 second period.', {
        'retry-after': '1',
      });
    case 'server_error':
      return fail(500, 'internal_error', 'An unexpected server error has occurred, please try again later.');
    case 'malformed_json':
      return ctx.send(200, '<html><body>502 Bad Gateway</body></html>', { 'content-type': 'application/json' });
    case 'auth':
      return fail(401, 'unauthorized', `Incorrect API key provided: ${auth.slice('Bearer '.length)}`);
    case 'insufficient_funds':
      return fail(402, 'payment_required', 'You lack sufficient credits to make this request. Please purchase more credits at https://platform.stability.ai/account/credits and try again.');
    default:
      break;
  }

  const form = await parseMultipart(ctx);
  if (!form) return fail(400, 'bad_request', 'content-type: must be multipart/form-data');
  const recorded: RecordedForm = { path, fields: {}, files: {} };
  const files: Record<string, FileFacts> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') {
      recorded.fields[key] = value;
      continue;
    }
    const bytes = Buffer.from(await value.arrayBuffer());
    const meta = await sharp(bytes).metadata().catch(() => undefined);
    recorded.files[key] = { filename: value.name, type: value.type, size: bytes.length, width: meta?.width, height: meta?.height };
    if (meta?.width && meta.height) files[key] = { bytes, width: meta.width, height: meta.height };
    else return fail(400, 'bad_request', `${key}: could not be decoded as an image`);
  }
  const forms = (ctx.store.get('forms') as RecordedForm[] | undefined) ?? [];
  forms.push(recorded);
  ctx.store.set('forms', forms);

  const problem = api === 'v1' ? validateV1(v1?.[1] ?? '', recorded.fields, files) : validateSd3(recorded.fields, files);
  if (problem) return fail(problem.status, problem.name, problem.message);

  if (ctx.mode === 'content_policy') {
    return api === 'v1'
      ? fail(400, 'invalid_prompts', 'One or more prompts contains filtered words.')
      : fail(403, 'content_moderation', 'Your request was flagged by our content moderation system, as a result your request was denied and you were not charged.');
  }
  if (ctx.mode === 'bad_input') return fail(400, 'bad_request', 'image: the image dimensions are invalid.');

  const init = api === 'v1' ? files.init_image : files.image;
  const seedField = Number(recorded.fields.seed ?? 0);
  const seed = seedField > 0 ? seedField : Math.floor(Math.random() * 4294967294) + 1;
  const filtered = ctx.mode === 'fail_in_200';
  const format = api === 'v1' ? 'png' : (recorded.fields.output_format ?? 'png');
  const bytes = await render(seed, init?.width ?? 1024, init?.height ?? 1024, format);
  const finish = filtered ? 'CONTENT_FILTERED' : 'SUCCESS';
  const accept = header(ctx, 'accept') ?? 'image/*';

  if (accept.includes('application/json')) {
    if (api === 'v1') return ctx.send(200, { artifacts: [{ base64: bytes.toString('base64'), finishReason: finish, seed }] });
    return ctx.send(200, { image: bytes.toString('base64'), finish_reason: finish, seed }, {
      'content-type': `application/json; type=image/${format}`,
    });
  }
  if (!accept.startsWith('image/')) return fail(400, 'bad_request', 'accept: must be image/* or application/json');
  ctx.res.writeHead(200, { 'content-type': `image/${format}`, 'finish-reason': finish, seed: String(seed) });
  ctx.res.end(bytes);
}

type Problem = { status: number; name: string; message: string };
const bad = (message: string, name = 'bad_request'): Problem => ({ status: 400, name, message });

function validateV1(engine: string, f: Record<string, string>, files: Record<string, FileFacts>): Problem | undefined {
  if (!V1_ENGINES.includes(engine)) return { status: 404, name: 'not_found', message: `The specified engine (ID ${engine}) was not found.` };
  if (!f['text_prompts[0][text]']?.trim()) return bad('text_prompts: is required');
  if ((f['text_prompts[0][text]'] ?? '').length > 2000) return bad('text_prompts[0][text]: must be at most 2000 characters');
  const init = files.init_image;
  if (!init) return bad('init_image: is required');
  if (engine.includes('-xl-') && !SDXL_SIZES.includes(`${init.width}x${init.height}`)) {
    return bad(
      `for stable-diffusion-xl-1024-v0-9 and stable-diffusion-xl-1024-v1-0 the allowed dimensions are ${SDXL_SIZES.join(', ')}, but we received ${init.width}x${init.height}`,
      'invalid_height_or_width',
    );
  }
  const mode = f.init_image_mode ?? 'IMAGE_STRENGTH';
  if (!['IMAGE_STRENGTH', 'STEP_SCHEDULE'].includes(mode)) return bad('init_image_mode: must be IMAGE_STRENGTH or STEP_SCHEDULE');
  return (
    range(f, 'image_strength', 0, 1) ??
    range(f, 'cfg_scale', 0, 35) ??
    range(f, 'samples', 1, 10, true) ??
    range(f, 'seed', 0, 4294967295, true) ??
    range(f, 'text_prompts[1][weight]', -10, 10)
  );
}

function validateSd3(f: Record<string, string>, files: Record<string, FileFacts>): Problem | undefined {
  const prompt = f.prompt ?? '';
  if (!prompt.trim()) return bad('prompt: is required');
  if (prompt.length > 10000 || (f.negative_prompt ?? '').length > 10000) return bad('prompt: must be at most 10000 characters');
  const mode = f.mode ?? 'text-to-image';
  if (!['text-to-image', 'image-to-image'].includes(mode)) return bad(`mode: must be one of text-to-image, image-to-image`);
  if (mode === 'image-to-image') {
    if (!files.image) return bad('image: is required when mode is image-to-image');
    if (f.strength === undefined) return bad('strength: is required when mode is image-to-image');
    if (files.image.width < 64 || files.image.height < 64) return bad('image: every side must be at least 64 pixels');
  } else if (files.image) return bad('image: is only allowed when mode is image-to-image');
  if (f.model !== undefined && !SD3_MODELS.includes(f.model)) return bad(`model: must be one of ${SD3_MODELS.join(', ')}`);
  if (f.output_format !== undefined && !['png', 'jpeg', 'webp'].includes(f.output_format)) return bad('output_format: must be one of jpeg, png, webp');
  return range(f, 'strength', 0, 1) ?? range(f, 'seed', 0, 4294967294, true) ?? range(f, 'cfg_scale', 1, 10);
}

function range(f: Record<string, string>, key: string, lo: number, hi: number, integer = false): Problem | undefined {
  const raw = f[key];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < lo || n > hi || (integer && !Number.isInteger(n))) {
    return bad(`${key}: must be ${integer ? 'an integer' : 'a number'} between ${lo} and ${hi}`);
  }
  return undefined;
}

async function render(seed: number, width: number, height: number, format: string): Promise<Buffer> {
  if (format === 'jpeg') return fakeImage(seed, width, height, 'jpeg');
  const png = await fakeImage(seed, width, height, 'png');
  return format === 'webp' ? sharp(png).webp().toBuffer() : png;
}
