/**
 * A fake Alibaba Cloud Model Studio (DashScope) speaking the async Wan image protocol (sources in
 * lib/server/providers/dashscope/). Serve it as DASHSCOPE_BASE_URL=`${fake.url}/api/v1`.
 *   POST /api/v1/services/aigc/image-generation/generation   (Wan 2.7/2.6; needs X-DashScope-Async: enable)
 *   POST /api/v1/services/aigc/image2image/image-synthesis    (Wan 2.1 image edit; the same header)
 *   GET  /api/v1/tasks/{task_id}
 *   POST /api/v1/tasks/{task_id}/cancel                       (PENDING tasks only)
 * Errors are `{request_id, code, message}` with the vendor's codes.
 *
 * Lifecycle by poll count: 1st poll PENDING, 2nd RUNNING, 3rd and later SUCCEEDED (or FAILED).
 * A Wan 2.1 task answers in its own shape (`output.results[].url`, `task_metrics`); each endpoint
 * knows only its own models ("Model not exist." otherwise). The fake does not know its region:
 * the adapter refuses wanx2.1-imageedit on the Singapore host before any call.
 * Where each mode hits, the way DashScope reports it:
 *   auth, rate_limit, server_error, malformed_json, hang: any request.
 *   insufficient_funds (400 Arrearage), bad_input (400 InvalidParameter),
 *   content_policy (400 DataInspectionFailed "Input data…"): at task creation.
 *   content_policy while polling: the task ends FAILED with DataInspectionFailed "Output data…"
 *   (moderation of the generated image).
 *   fail_in_200: the task ends FAILED (HTTP 200) with `output.code: InternalError.Algo`; current at
 *   creation (the task remembers) or at a poll.
 */
import { randomUUID } from 'node:crypto';
import { fakeImage, header, startFake, type FakeContext, type FakeServer } from './kit';

/** Models and the most images each accepts in one request. */
export const DASHSCOPE_FAKE_MODELS: Record<string, number> = {
  'wan2.7-image': 9,
  'wan2.7-image-pro': 9,
  'wan2.6-image': 4,
  'wanx2.1-imageedit': 1,
};

/** The models of the image-synthesis (Wan 2.1) endpoint; the others belong to image-generation. */
const IMAGE2IMAGE_MODELS = new Set(['wanx2.1-imageedit']);

/** `input.function` values of wanx2.1-imageedit (help.aliyun.com/zh/model-studio/wanx-image-edit, "关键能力"). */
const WAN21_FUNCTIONS = new Set([
  'stylization_all',
  'stylization_local',
  'description_edit',
  'description_edit_with_mask',
  'remove_watermark',
  'expand',
  'super_resolution',
  'colorization',
  'doodle',
  'control_cartoon_feature',
]);

type Fate = 'ok' | 'fail' | 'moderated';
type Task = {
  id: string;
  kind: 'generation' | 'image2image';
  seed: number;
  n: number;
  polls: number;
  fate: Fate;
  canceled: boolean;
  submitTime: string;
  outputs?: string[];
};

const fail = (ctx: FakeContext, status: number, code: string, message: string, headers?: Record<string, string>) =>
  ctx.send(status, { request_id: randomUUID(), code, message }, headers);

export function startDashScopeFake(port = 0): Promise<FakeServer> {
  return startFake('dashscope', handle, port);
}

async function handle(ctx: FakeContext): Promise<void> {
  const path = ctx.url.pathname;
  const method = ctx.req.method ?? 'GET';
  const authz = header(ctx, 'authorization');
  if (!authz) return fail(ctx, 401, 'InvalidApiKey', 'No API-key provided.');
  if (!/^Bearer \S+$/.test(authz) || ctx.mode === 'auth') return fail(ctx, 401, 'InvalidApiKey', 'Invalid API-key provided.');
  switch (ctx.mode) {
    case 'rate_limit':
      return fail(ctx, 429, 'Throttling.RateQuota', 'Requests rate limit exceeded, please try again later.', { 'retry-after': '1' });
    case 'server_error':
      return fail(ctx, 500, 'InternalError', 'An internal error has occured, please try again later or contact service support.');
    case 'malformed_json':
      return ctx.send(200, 'upstream connect error or disconnect/reset before headers');
    default:
      break;
  }

  if (path === '/api/v1/services/aigc/image-generation/generation' && method === 'POST') return create(ctx, 'generation');
  if (path === '/api/v1/services/aigc/image2image/image-synthesis' && method === 'POST') return create(ctx, 'image2image');
  const cancel = /^\/api\/v1\/tasks\/([\w-]+)\/cancel$/.exec(path);
  if (cancel && method === 'POST') return cancelTask(ctx, cancel[1] ?? '');
  const query = /^\/api\/v1\/tasks\/([\w-]+)$/.exec(path);
  if (query && method === 'GET') return queryTask(ctx, query[1] ?? '');
  return fail(ctx, 404, 'NotFound', `No route: ${method} ${path}`);
}

function validImage(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (/^https?:\/\//.test(value)) return true;
  const m = /^data:image\/(png|jpeg|jpg|webp|bmp);base64,([A-Za-z0-9+/=]+)$/.exec(value);
  if (!m) return false;
  const bytes = Buffer.from(m[2] ?? '', 'base64');
  const png = bytes.subarray(1, 4).toString() === 'PNG';
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  const webp = bytes.subarray(8, 12).toString() === 'WEBP';
  return png || jpeg || webp || bytes.subarray(0, 2).toString() === 'BM';
}

/** Checks the Wan 2.7/2.6 request the way the API reference describes it. */
function validate(body: Record<string, unknown>): string | undefined {
  const model = typeof body.model === 'string' ? body.model : '';
  const max = DASHSCOPE_FAKE_MODELS[model];
  if (max === undefined || IMAGE2IMAGE_MODELS.has(model)) return 'Model not exist.';
  const messages = (body.input as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(messages) || messages.length !== 1) return 'input.messages must hold exactly one message.';
  const msg = messages[0] as { role?: unknown; content?: unknown };
  if (msg.role !== 'user') return 'input.messages[0].role must be user.';
  if (!Array.isArray(msg.content)) return 'input.messages[0].content must be an array.';
  const parts = msg.content as Record<string, unknown>[];
  const texts = parts.filter((p) => 'text' in p);
  const images = parts.filter((p) => 'image' in p);
  if (texts.length !== 1 || typeof texts[0]?.text !== 'string' || !texts[0].text.trim())
    return 'content must contain exactly one non-empty text.';
  if (images.length > max) return `Too many images: ${model} accepts at most ${max}.`;
  if (model === 'wan2.6-image' && images.length === 0) return 'Image editing requires 1 to 4 images.';
  if (!images.every((p) => validImage(p.image))) return 'The image must be a URL or a base64 data URI of a JPEG, PNG, BMP or WEBP image.';
  const params = (body.parameters ?? {}) as Record<string, unknown>;
  const common = checkSeedAndN(params);
  if (common) return common;
  if (
    params.size !== undefined &&
    !(params.size === '1K' || params.size === '2K' || (typeof params.size === 'string' && /^\d+\*\d+$/.test(params.size)))
  ) {
    return 'parameters.size must be 1K, 2K or width*height.';
  }
  if (params.watermark !== undefined && typeof params.watermark !== 'boolean') return 'parameters.watermark must be a boolean.';
  if (params.negative_prompt !== undefined && (typeof params.negative_prompt !== 'string' || params.negative_prompt.length > 500)) {
    return 'parameters.negative_prompt must be a string of at most 500 characters.';
  }
  return undefined;
}

function checkSeedAndN(params: Record<string, unknown>): string | undefined {
  if (params.n !== undefined && (!Number.isInteger(params.n) || (params.n as number) < 1 || (params.n as number) > 4))
    return 'parameters.n must be 1 to 4.';
  if (
    params.seed !== undefined &&
    (!Number.isInteger(params.seed) || (params.seed as number) < 0 || (params.seed as number) > 2147483647)
  ) {
    return 'parameters.seed must be an integer in [0, 2147483647].';
  }
  return undefined;
}

/** Checks a wanx2.1-imageedit request the way its page describes it: one function, one base image, a mask for inpainting. */
function validateWan21(body: Record<string, unknown>): string | undefined {
  if (typeof body.model !== 'string' || !IMAGE2IMAGE_MODELS.has(body.model)) return 'Model not exist.';
  const input = (body.input ?? {}) as Record<string, unknown>;
  if (typeof input.function !== 'string' || !WAN21_FUNCTIONS.has(input.function)) return 'input.function is invalid.';
  if (typeof input.prompt !== 'string') return 'input.prompt is required.';
  if (!validImage(input.base_image_url)) return 'input.base_image_url must be a URL or a base64 data URI of an image.';
  if (input.function === 'description_edit_with_mask' && !validImage(input.mask_image_url)) return 'input.mask_image_url is required.';
  const params = (body.parameters ?? {}) as Record<string, unknown>;
  if (params.strength !== undefined && (typeof params.strength !== 'number' || params.strength < 0 || params.strength > 1)) {
    return 'parameters.strength must be in [0.0, 1.0].';
  }
  return checkSeedAndN(params);
}

function create(ctx: FakeContext, kind: Task['kind']): void {
  if (header(ctx, 'x-dashscope-async') !== 'enable') {
    fail(ctx, 403, 'AccessDenied', 'current user api does not support synchronous calls');
    return;
  }
  if (ctx.mode === 'insufficient_funds') {
    fail(ctx, 400, 'Arrearage', 'Access denied, please make sure your account is in good standing.');
    return;
  }
  if (ctx.mode === 'content_policy') {
    fail(ctx, 400, 'DataInspectionFailed', 'Input data may contain inappropriate content.');
    return;
  }
  if (ctx.mode === 'bad_input') {
    fail(ctx, 400, 'InvalidParameter', 'The image resolution is invalid: each side must be in [240, 8000].');
    return;
  }
  const body = ctx.json<Record<string, unknown>>();
  if (!body || typeof body !== 'object') {
    fail(ctx, 400, 'InvalidParameter', 'The request body is not valid JSON.');
    return;
  }
  const problem = kind === 'image2image' ? validateWan21(body) : validate(body);
  if (problem) {
    fail(ctx, 400, 'InvalidParameter', problem);
    return;
  }
  const params = (body.parameters ?? {}) as { n?: number; seed?: number };
  const task: Task = {
    id: randomUUID(),
    kind,
    seed: params.seed ?? 0,
    n: params.n ?? 1,
    polls: 0,
    fate: ctx.mode === 'fail_in_200' ? 'fail' : 'ok',
    canceled: false,
    submitTime: new Date().toISOString(),
  };
  ctx.store.set(`task:${task.id}`, task);
  ctx.send(200, { request_id: randomUUID(), output: { task_id: task.id, task_status: 'PENDING' } });
}

function statusOf(task: Task): string {
  if (task.canceled) return 'CANCELED';
  if (task.polls <= 1) return 'PENDING';
  if (task.polls === 2) return 'RUNNING';
  return task.fate === 'ok' ? 'SUCCEEDED' : 'FAILED';
}

async function queryTask(ctx: FakeContext, id: string): Promise<void> {
  const task = ctx.store.get(`task:${id}`) as Task | undefined;
  if (!task) return ctx.send(200, { request_id: randomUUID(), output: { task_id: id, task_status: 'UNKNOWN' } });
  if (ctx.mode === 'fail_in_200') task.fate = 'fail';
  if (ctx.mode === 'content_policy') task.fate = 'moderated';
  task.polls += 1;
  const status = statusOf(task);
  const output: Record<string, unknown> = { task_id: task.id, task_status: status, submit_time: task.submitTime };
  if (status === 'SUCCEEDED') {
    task.outputs ??= await Promise.all(
      Array.from({ length: task.n }, async (_, i) => ctx.issueOutput(await fakeImage(task.seed + i, 256, 256, 'png'), 'image/png')),
    );
    if (task.kind === 'image2image') {
      output.results = task.outputs.map((url) => ({ url }));
      output.task_metrics = { TOTAL: task.n, SUCCEEDED: task.n, FAILED: 0 };
      return ctx.send(200, { request_id: randomUUID(), output, usage: { image_count: task.n } });
    }
    output.finished = true;
    output.choices = task.outputs.map((url) => ({
      finish_reason: 'stop',
      message: { role: 'assistant', content: [{ type: 'image', image: url }] },
    }));
    return ctx.send(200, {
      request_id: randomUUID(),
      output,
      usage: { size: '256*256', image_count: task.n, input_tokens: 1200, output_tokens: 2, total_tokens: 1202 },
    });
  }
  if (status === 'FAILED') {
    Object.assign(
      output,
      task.fate === 'moderated'
        ? { code: 'DataInspectionFailed', message: 'Output data may contain inappropriate content.' }
        : { code: 'InternalError.Algo', message: 'An error occurred in the algorithm service. Please try again later.' },
    );
  }
  ctx.send(200, { request_id: randomUUID(), output });
}

function cancelTask(ctx: FakeContext, id: string): void {
  const task = ctx.store.get(`task:${id}`) as Task | undefined;
  if (!task) {
    fail(ctx, 400, 'InvalidParameter', `Task ${id} does not exist or has expired.`);
    return;
  }
  if (statusOf(task) !== 'PENDING') {
    fail(ctx, 400, 'UnsupportedOperation', 'Failed to cancel the task, please confirm if the task is in PENDING status.');
    return;
  }
  task.canceled = true;
  ctx.send(200, { request_id: randomUUID() });
}
