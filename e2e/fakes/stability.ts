/**
 * Fake Stability AI: v2beta `generate/sd3`, multipart in, JSON (base64) or raw bytes out,
 * synchronous. Errors `{id, name, errors:[...]}`; see lib/server/providers/stability/.
 * Every v1 `/v1/generation/{engine}/…` answers as Stability's retired v1 engines do: 404
 * `{id, message: "The specified engine (ID …) was not found.", name: "not_found"}` ([3P]
 * jezs00/pycasso#70). Whether SDXL 1.0 itself is retired is unconfirmed; the app no longer calls v1.
 * v2beta fields per Stability's own API nodes (Stability-AI/ComfyUI-SAI_API@6c0e3a21
 * stability_api.py `StabilitySD3`): `model` from its list, `aspect_ratio` only in text-to-image
 * (the node drops it in image-to-image), `style_preset` only for the sd3.5 models.
 *
 * Modes (Stability is synchronous, so every mode hits the one request):
 *   fail_in_200        200 with finish_reason CONTENT_FILTERED (blurred output):
 *                      Stability's documented "succeeded but the output violated policy"
 *   rate_limit         429 + Retry-After: 1        server_error   500 internal_error
 *   malformed_json     200, JSON content type, HTML body
 *   auth               401 unauthorized, echoing the key (proves the adapter redacts it)
 *   insufficient_funds 402 payment_required        content_policy 403 content_moderation
 *   bad_input          400 bad_request naming a field
 * Extra route: GET /__inspect/forms — every multipart request's fields and file facts.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { fakeImage, header, parseMultipart, startFake, type FakeContext, type FakeServer } from './kit';

const SD3_MODELS = ['sd3.5-large', 'sd3.5-large-turbo', 'sd3.5-medium', 'sd3-large', 'sd3-large-turbo', 'sd3-medium'];

export type RecordedForm = {
  path: string;
  fields: Record<string, string>;
  files: Record<string, { filename: string; type: string; size: number; width?: number; height?: number }>;
};

type FileFacts = { bytes: Buffer; width: number; height: number };

export function startStabilityFake(port = 0): Promise<FakeServer> {
  return startFake('stability', handle, port);
}

async function handle(ctx: FakeContext): Promise<void> {
  const path = ctx.url.pathname;
  if (path === '/__inspect/forms') return ctx.send(200, (ctx.store.get('forms') as RecordedForm[] | undefined) ?? []);

  const v1 = /^\/v1\/generation\/([^/]+)\//.exec(path);
  if (v1) return ctx.send(404, { id: randomUUID(), message: `The specified engine (ID ${v1[1]}) was not found.`, name: 'not_found' });
  if (path !== '/v2beta/stable-image/generate/sd3')
    return ctx.send(404, { id: randomUUID(), name: 'not_found', errors: [`${path} was not found`] });
  const fail = (status: number, name: string, message: string, headers?: Record<string, string>) =>
    ctx.send(status, { id: randomUUID(), name, errors: [message] }, headers);
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
      return fail(
        402,
        'payment_required',
        'You lack sufficient credits to make this request. Please purchase more credits at https://platform.stability.ai/account/credits and try again.',
      );
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
    const meta = await sharp(bytes)
      .metadata()
      .catch(() => undefined);
    recorded.files[key] = { filename: value.name, type: value.type, size: bytes.length, width: meta?.width, height: meta?.height };
    if (meta?.width && meta.height) files[key] = { bytes, width: meta.width, height: meta.height };
    else return fail(400, 'bad_request', `${key}: could not be decoded as an image`);
  }
  const forms = (ctx.store.get('forms') as RecordedForm[] | undefined) ?? [];
  forms.push(recorded);
  ctx.store.set('forms', forms);

  const problem = validateSd3(recorded.fields, files);
  if (problem) return fail(problem.status, problem.name, problem.message);

  if (ctx.mode === 'content_policy') {
    return fail(
      403,
      'content_moderation',
      'Your request was flagged by our content moderation system, as a result your request was denied and you were not charged.',
    );
  }
  if (ctx.mode === 'bad_input') return fail(400, 'bad_request', 'image: the image dimensions are invalid.');

  const init = files.image;
  const seedField = Number(recorded.fields.seed ?? 0);
  // 0 (the default) is "random" at Stability.
  const seed = seedField > 0 ? seedField : Math.floor(Math.random() * 4294967294) + 1;
  const filtered = ctx.mode === 'fail_in_200';
  const format = recorded.fields.output_format ?? 'png';
  const bytes = await render(seed, init?.width ?? 1024, init?.height ?? 1024, format);
  const finish = filtered ? 'CONTENT_FILTERED' : 'SUCCESS';
  const accept = header(ctx, 'accept') ?? 'image/*';

  if (accept.includes('application/json')) {
    return ctx.send(
      200,
      { image: bytes.toString('base64'), finish_reason: finish, seed },
      {
        'content-type': `application/json; type=image/${format}`,
      },
    );
  }
  if (!accept.startsWith('image/')) return fail(400, 'bad_request', 'accept: must be image/* or application/json');
  ctx.res.writeHead(200, { 'content-type': `image/${format}`, 'finish-reason': finish, seed: String(seed) });
  ctx.res.end(bytes);
}

type Problem = { status: number; name: string; message: string };
const bad = (message: string, name = 'bad_request'): Problem => ({ status: 400, name, message });

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
    if (f.aspect_ratio !== undefined) return bad('aspect_ratio: is only allowed when mode is text-to-image');
  } else if (files.image) return bad('image: is only allowed when mode is image-to-image');
  if (f.model !== undefined && !SD3_MODELS.includes(f.model)) return bad(`model: must be one of ${SD3_MODELS.join(', ')}`);
  if (f.style_preset !== undefined && !(f.model ?? 'sd3.5-large').startsWith('sd3.5'))
    return bad('style_preset: is not supported by this model');
  if (f.output_format !== undefined && !['png', 'jpeg', 'webp'].includes(f.output_format))
    return bad('output_format: must be one of jpeg, png, webp');
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
