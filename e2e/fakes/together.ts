/**
 * Fake Together AI: `POST /v1/images/generations`, synchronous, Bearer auth, OpenAI-shaped errors
 * `{"id", "error": {"message", "type", "param", "code"}}` (a real 400 is quoted in
 * https://github.com/HeyPuter/puter/issues/2084). Point TOGETHER_BASE_URL at `${fake.url}/v1`.
 *
 * Modes, all answered at once (there is no job):
 * - fail_in_200: 200 with an empty `data` list. Together documents no "200 but failed" shape; an
 *   answer without an image is the closest thing a synchronous image API can send.
 * - content_policy: 400 whose message says the prompt was flagged. Together documents no
 *   moderation error at all, so the wording is ours; the status and envelope are Together's.
 * - bad_input: the "Unsupported use of 'image_url'" 400 from the issue above.
 * - auth (401), insufficient_funds (402), rate_limit (429 + Retry-After: 1), server_error (503
 *   "engine overloaded"): statuses from https://support.together.ai/articles/1067567273.
 *
 * The body is checked against the fields of Together's OpenAPI (togethercomputer/openapi@090263aa
 * openapi.yaml `/images/generations`) plus `aspect_ratio`/`prompt_upsampling` (skills doc), and any
 * other field is refused with 400. That is stricter than proven (whether the live API ignores or
 * refuses an unknown field is not documented), on purpose: `guidance` was renamed `guidance_scale`
 * in July 2025, and only a refusal makes a test notice the old name.
 * References are fetched like Together fetches them: an http(s) URL that does not download is a
 * 400. `PUT /__inputs/:name` hosts bytes for tests, standing in for the app's /api/inputs route.
 */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { z } from 'zod';
import { fakeImage, header, startFake, type FakeContext, type FakeServer } from './kit';

const KONTEXT = /FLUX\.1-kontext-(pro|max)$/;
const FLUX2_URL_OK = /FLUX\.2-(pro|flex)$/;
const FLUX2 = /FLUX\.2-(pro|flex|dev)$/;
const RATIO_SIZES: Record<string, [number, number]> = {
  '1:1': [1024, 1024],
  '16:9': [1344, 768],
  '9:16': [768, 1344],
  '4:3': [1184, 864],
  '3:2': [1248, 832],
};

const side = z
  .number()
  .int()
  .min(256)
  .max(1920)
  .refine((v) => v % 16 === 0, 'must be a multiple of 16');
const bodySchema = z.strictObject({
  model: z.string().min(1),
  prompt: z.string().min(1),
  n: z.number().int().min(1).max(4).optional(),
  seed: z.number().int().optional(),
  steps: z.number().int().min(1).max(50).optional(),
  width: side.optional(),
  height: side.optional(),
  response_format: z.enum(['url', 'base64']).optional(),
  output_format: z.enum(['jpeg', 'png']).optional(),
  aspect_ratio: z.string().optional(),
  image_url: z.string().optional(),
  reference_images: z.array(z.string()).optional(),
  guidance_scale: z.number().optional(),
  negative_prompt: z.string().optional(),
  image_loras: z.array(z.unknown()).optional(),
  disable_safety_checker: z.boolean().optional(),
  prompt_upsampling: z.boolean().optional(),
});
type Body = z.infer<typeof bodySchema>;

function error(
  ctx: FakeContext,
  status: number,
  message: string,
  type: string,
  code: string | null = null,
  headers?: Record<string, string>,
) {
  ctx.send(status, { id: `o${randomBytes(6).toString('hex')}`, error: { message, type, param: null, code } }, headers);
}

export async function startTogetherFake(port = 0): Promise<FakeServer> {
  return startFake('together', handle, port);
}

async function handle(ctx: FakeContext): Promise<void> {
  const hosted = /^\/__inputs\/([\w.-]+)$/.exec(ctx.url.pathname);
  if (hosted) return hostInput(ctx, hosted[1]!);
  if (ctx.url.pathname !== '/v1/images/generations' || ctx.req.method !== 'POST') {
    return error(ctx, 404, `Unknown endpoint ${ctx.req.method} ${ctx.url.pathname}`, 'invalid_request_error');
  }
  const token = /^Bearer\s+(\S+)$/.exec(header(ctx, 'authorization') ?? '')?.[1];
  if (!token)
    return error(
      ctx,
      401,
      'Invalid API key provided. You can find your API key at https://api.together.xyz/settings/api-keys.',
      'invalid_request_error',
      'invalid_api_key',
    );

  switch (ctx.mode) {
    // Worst case for redaction: a vendor that echoes the key it refused.
    case 'auth':
      return error(ctx, 401, `Invalid API key provided: ${token}.`, 'invalid_request_error', 'invalid_api_key');
    case 'insufficient_funds':
      return error(
        ctx,
        402,
        'Credit limit exceeded. Please add a payment method or top up your credits.',
        'credit_limit',
        'payment_required',
      );
    case 'rate_limit':
      return error(ctx, 429, 'You have exceeded the rate limit for this model.', 'rate_limit_exceeded', null, { 'retry-after': '1' });
    case 'server_error':
      return error(ctx, 503, 'Engine overloaded, please try again later.', 'server_error');
    case 'malformed_json':
      return ctx.send(200, '{"id":"o-cut","object":"list","data":[{"index":0,', { 'content-type': 'application/json' });
    default:
      break;
  }

  const parsed = bodySchema.safeParse(ctx.json());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      return error(
        ctx,
        400,
        `Invalid request: unrecognized field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`,
        'invalid_request_error',
      );
    }
    return error(ctx, 400, `Invalid request: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim(), 'invalid_request_error');
  }
  const body = parsed.data;
  const modelError = checkModel(body);
  if (modelError) return error(ctx, 400, modelError, 'invalid_request_error');

  if (ctx.mode === 'bad_input') {
    return error(
      ctx,
      400,
      "Unsupported use of 'image_url' parameter. This parameter is not supported for the selected model.",
      'invalid_request_error',
    );
  }
  if (ctx.mode === 'content_policy') {
    return error(
      ctx,
      400,
      'Your prompt or image was flagged as NSFW by the safety checker.',
      'invalid_request_error',
      'content_policy_violation',
    );
  }
  if (ctx.mode === 'fail_in_200') {
    return ctx.send(200, { id: `o${randomBytes(6).toString('hex')}`, model: body.model, object: 'list', data: [] });
  }

  const refs: Buffer[] = [];
  for (const ref of [body.image_url, ...(body.reference_images ?? [])]) {
    if (ref === undefined) continue;
    const bytes = await loadRef(ref);
    if (!bytes) return error(ctx, 400, `Failed to download the image at ${ref.slice(0, 80)}.`, 'invalid_request_error');
    refs.push(bytes);
  }
  const format = body.output_format ?? 'jpeg';
  const size = await outputSize(body, refs[0]).catch(() => undefined);
  if (!size) return error(ctx, 400, 'Could not decode the image given in image_url.', 'invalid_request_error');
  const [width, height] = size;
  const bytes = await fakeImage(body.seed ?? 0, width, height, format);
  const item =
    body.response_format === 'base64'
      ? { index: 0, type: 'b64_json', b64_json: bytes.toString('base64'), timings: { inference: 0.8 } }
      : { index: 0, type: 'url', url: ctx.issueOutput(bytes, `image/${format}`) };
  ctx.send(200, { id: `o${randomBytes(6).toString('hex')}`, model: body.model, object: 'list', data: [item] });
}

/** Which model takes which reference field (docs.together.ai/docs/inference/images/reference-images). */
function checkModel(body: Body): string | undefined {
  const known = KONTEXT.test(body.model) || FLUX2.test(body.model);
  if (!known)
    return `Unable to access model ${body.model}. Please visit https://api.together.ai/models to view the list of supported models.`;
  if (body.image_url && !(KONTEXT.test(body.model) || FLUX2_URL_OK.test(body.model))) {
    return "Unsupported use of 'image_url' parameter. This parameter is not supported for the selected model.";
  }
  if (body.reference_images && KONTEXT.test(body.model)) {
    return "Unsupported use of 'reference_images' parameter. This parameter is not supported for the selected model.";
  }
  if (body.aspect_ratio !== undefined && !RATIO_SIZES[body.aspect_ratio]) {
    return `Invalid aspect_ratio ${body.aspect_ratio}: expected one of ${Object.keys(RATIO_SIZES).join(', ')}`;
  }
  for (const ref of [body.image_url, ...(body.reference_images ?? [])]) {
    if (ref !== undefined && !/^(https?:\/\/|data:image\/(png|jpeg|webp);base64,)/.test(ref)) {
      return `Invalid image reference: expected a URL, got ${ref.slice(0, 30)}`;
    }
  }
  return undefined;
}

/** Kontext: the ratio's size, or the reference's own size; FLUX.2: width/height (default 1024²). */
async function outputSize(body: Body, first: Buffer | undefined): Promise<[number, number]> {
  if (FLUX2.test(body.model)) return [body.width ?? 1024, body.height ?? 1024];
  const fromRatio = body.aspect_ratio ? RATIO_SIZES[body.aspect_ratio] : undefined;
  if (fromRatio) return fromRatio;
  if (first) {
    const meta = await sharp(first).metadata();
    if (meta.width && meta.height) return [meta.width, meta.height];
  }
  return [1024, 1024];
}

/** A data URI decoded, or a URL downloaded (as Together's workers do); undefined when neither works. */
async function loadRef(ref: string): Promise<Buffer | undefined> {
  const m = /^data:[^,]+;base64,(.*)$/s.exec(ref);
  if (m) return Buffer.from(m[1] ?? '', 'base64');
  try {
    const res = await fetch(ref, { signal: AbortSignal.timeout(5000) });
    return res.ok ? Buffer.from(await res.arrayBuffer()) : undefined;
  } catch {
    return undefined;
  }
}

/** Test stand-in for the app's signed /api/inputs URLs: PUT bytes, then GET them (any query string). */
function hostInput(ctx: FakeContext, name: string): void {
  if (ctx.req.method === 'PUT') {
    ctx.store.set(`input:${name}`, ctx.body);
    ctx.send(201, { url: `${ctx.baseUrl}/__inputs/${name}` });
    return;
  }
  const bytes = ctx.store.get(`input:${name}`) as Buffer | undefined;
  if (!bytes) {
    ctx.send(404, 'Not found');
    return;
  }
  ctx.res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(bytes.length) });
  ctx.res.end(bytes);
}
