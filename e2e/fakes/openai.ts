/**
 * Fake OpenAI images API: `POST /v1/images/edits` (multipart, synchronous, base64 output).
 * Error bodies are OpenAI's `{error: {message, type, param, code}}`
 * (https://platform.openai.com/docs/guides/error-codes).
 *
 * Modes (all hit the one synchronous call):
 *   auth               401 invalid_api_key (message shows the key masked, as OpenAI does)
 *   insufficient_funds 429 insufficient_quota (same status as a rate limit; only the code differs)
 *   rate_limit         429 rate_limit_exceeded + Retry-After: 1
 *   content_policy     400 moderation_blocked (type image_generation_user_error)
 *   bad_input          400 invalid_request_error on the image
 *   server_error       500 server_error
 *   malformed_json     200 with an HTML body
 *   fail_in_200        200 with `data: []`: OpenAI documents no failed-job-in-200 shape for this
 *                      synchronous endpoint; an answer without images is the closest real case.
 *   hang               handled by the kit
 * GET /__inspect returns the fields and file parts of the last accepted edit (multipart bodies
 * are only summarised in the kit's request log).
 * Fields other than `ImageEditParamsBase`'s (openai/openai-node@7b7d6ca7 src/resources/images.ts)
 * are refused with OpenAI's unknown-parameter 400; `moderation` among them, as it is a
 * generations-only parameter (`ImageGenerateParamsBase`). The message text follows OpenAI's
 * convention ("Unknown parameter: 'x'."); the exact wording for this endpoint is inferred.
 */
import sharp from 'sharp';
import { fakeImage, header, parseMultipart, startFake, type FakeContext, type FakeServer } from './kit';
import { handleModeration } from './openai-moderation';

const SIZES = new Set(['auto', '1024x1024', '1536x1024', '1024x1536']);
const FORMATS = new Set(['png', 'jpeg', 'webp']);
const QUALITIES = new Set(['low', 'medium', 'high', 'auto']);
const EDIT_FIELDS = new Set([
  'image',
  'image[]',
  'prompt',
  'background',
  'input_fidelity',
  'mask',
  'model',
  'n',
  'output_compression',
  'output_format',
  'partial_images',
  'quality',
  'response_format',
  'size',
  'stream',
  'user',
]);

type Inspected = { fields: Record<string, string>; images: { field: string; name: string; type: string; size: number }[] };

export async function startOpenAIFake(port = 0): Promise<FakeServer> {
  return startFake('openai', handle, port);
}

function fail(
  ctx: FakeContext,
  status: number,
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
  headers?: Record<string, string>,
) {
  // OpenAI sends x-request-id on every response (API reference, "Debugging requests").
  ctx.send(
    status,
    { error: { message, type, param, code } },
    { 'x-request-id': `req_${Math.random().toString(36).slice(2, 14)}`, ...headers },
  );
}

async function handle(ctx: FakeContext): Promise<void> {
  if (ctx.url.pathname === '/__inspect') return ctx.send(200, ctx.store.get('last') ?? null);
  if (ctx.url.pathname === '/__moderations') return ctx.send(200, ctx.store.get('moderations') ?? []);
  if (ctx.url.pathname === '/v1/moderations') return handleModeration(ctx);
  if (ctx.url.pathname !== '/v1/images/edits')
    return fail(ctx, 404, `Invalid URL (${ctx.req.method} ${ctx.url.pathname})`, 'invalid_request_error', null);
  if (ctx.req.method !== 'POST') return fail(ctx, 405, 'Method not allowed', 'invalid_request_error', null);

  const authorization = header(ctx, 'authorization');
  if (!authorization?.startsWith('Bearer ') || authorization.length <= 'Bearer '.length) {
    return fail(
      ctx,
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      'invalid_request_error',
      null,
    );
  }
  const key = authorization.slice('Bearer '.length);

  switch (ctx.mode) {
    case 'auth':
      return fail(
        ctx,
        401,
        `Incorrect API key provided: ${key.slice(0, 3)}*****${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        'invalid_request_error',
        'invalid_api_key',
      );
    case 'insufficient_funds':
      return fail(
        ctx,
        429,
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        'insufficient_quota',
        'insufficient_quota',
      );
    case 'rate_limit':
      return fail(
        ctx,
        429,
        'Rate limit reached for gpt-image-1 on images per minute (IPM): Limit 5, Used 5, Requested 1. Please try again in 1s.',
        'requests',
        'rate_limit_exceeded',
        null,
        { 'retry-after': '1' },
      );
    case 'server_error':
      return fail(ctx, 500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null);
    case 'malformed_json':
      return ctx.send(200, '<html><head><title>502 Bad Gateway</title></head></html>');
    default:
  }

  const form = await parseMultipart(ctx);
  if (!form)
    return fail(
      ctx,
      400,
      "Invalid Content-Type header (application/json), expected multipart/form-data. (HINT: If you're using curl, you can pass -H 'Content-Type: multipart/form-data')",
      'invalid_request_error',
      null,
    );
  const fields: Record<string, string> = {};
  const images: Inspected['images'] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else if (name === 'image' || name === 'image[]') images.push({ field: name, name: value.name, type: value.type, size: value.size });
  }

  const unknown = [...form.keys()].find((name) => !EDIT_FIELDS.has(name));
  if (unknown) return fail(ctx, 400, `Unknown parameter: '${unknown}'.`, 'invalid_request_error', 'unknown_parameter', unknown);

  const prompt = fields.prompt;
  if (!prompt)
    return fail(ctx, 400, "Missing required parameter: 'prompt'.", 'invalid_request_error', 'missing_required_parameter', 'prompt');
  if (!images.length)
    return fail(ctx, 400, "Missing required parameter: 'image'.", 'invalid_request_error', 'missing_required_parameter', 'image');
  if (images.length > 16)
    return fail(
      ctx,
      400,
      `Invalid 'image': too many images (${images.length}); the maximum is 16.`,
      'invalid_request_error',
      'invalid_value',
      'image',
    );
  if (fields.model && !fields.model.startsWith('gpt-image-'))
    return fail(ctx, 400, `Invalid value for 'model' = ${fields.model}.`, 'invalid_request_error', 'invalid_value', 'model');
  const checks: [string, Set<string>][] = [
    ['size', SIZES],
    ['output_format', FORMATS],
    ['quality', QUALITIES],
  ];
  for (const [field, allowed] of checks) {
    const value = fields[field];
    if (value !== undefined && !allowed.has(value)) {
      return fail(
        ctx,
        400,
        `Invalid value: '${value}'. Supported values are: ${[...allowed].map((v) => `'${v}'`).join(', ')}.`,
        'invalid_request_error',
        'invalid_value',
        field,
      );
    }
  }
  ctx.store.set('last', { fields, images } satisfies Inspected);

  if (ctx.mode === 'content_policy') {
    return fail(
      ctx,
      400,
      'Your request was rejected as a result of our safety system. Your request may contain content that is not allowed by our safety system.',
      'image_generation_user_error',
      'moderation_blocked',
    );
  }
  if (ctx.mode === 'bad_input') {
    return fail(
      ctx,
      400,
      'Invalid image file or mode for image 1, please check your image file.',
      'invalid_request_error',
      'invalid_image_file',
      'image',
    );
  }

  const size = fields.size && fields.size !== 'auto' ? fields.size : '1024x1024';
  const [w, h] = size.split('x').map(Number) as [number, number];
  const format = fields.output_format ?? 'png';
  const n = Math.min(10, Math.max(1, Number(fields.n ?? 1) || 1));
  // Small stand-ins for the real 1024px images; the seed follows the prompt so outputs differ.
  const seed = [...prompt].reduce((acc, ch) => acc + ch.charCodeAt(0), images.length);
  const data = [];
  for (let i = 0; i < (ctx.mode === 'fail_in_200' ? 0 : n); i++) {
    const png = await fakeImage(seed + i, w / 8, h / 8, format === 'jpeg' ? 'jpeg' : 'png');
    const bytes = format === 'webp' ? await sharp(png).webp().toBuffer() : png;
    data.push({ b64_json: bytes.toString('base64') });
  }
  // Token counts shaped like real ones: ~4 characters a text token, 4160 output tokens for a
  // high-quality square and 6240 for the oblong sizes (they only need to be plausible).
  const textTokens = Math.ceil(prompt.length / 4);
  const imageTokens = 323 * images.length;
  const outputTokens = (w === h ? 4160 : 6240) * n;
  ctx.send(
    200,
    {
      created: Math.floor(Date.now() / 1000),
      background: 'opaque',
      output_format: format,
      quality: fields.quality ?? 'auto',
      size,
      data,
      usage: {
        input_tokens: textTokens + imageTokens,
        input_tokens_details: { text_tokens: textTokens, image_tokens: imageTokens },
        output_tokens: outputTokens,
        total_tokens: textTokens + imageTokens + outputTokens,
      },
    },
    { 'x-request-id': `req_${Math.random().toString(36).slice(2, 14)}` },
  );
}
