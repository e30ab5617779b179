/**
 * Fake Kie.ai: the Market jobs API (createTask / recordInfo) and the File Upload API on one host.
 * Shapes follow https://docs.kie.ai/market/common/get-task-detail and
 * https://docs.kie.ai/file-upload-api/upload-file-stream; Wan 2.7 input fields follow the
 * third-party clients the adapter cites.
 *
 * Uploads: `POST /api/file-stream-upload` on this host, which stands for both the API host Kie's
 * current docs use (https://api.kie.ai/api/file-stream-upload) and the older kieai.redpandaai.co.
 *
 * Wan 2.7 input, per the third-party schema the adapter cites (justintanner/apicity@58c740bd
 * packages/provider/kie/src/zod.ts): `aspect_ratio` from an 8-value enum and only together with
 * `resolution`; `resolution` 1K/2K/4K, 4K only without `input_urls`; `n` 1–12 (default 4); seed
 * 0–2147483647. An edit without `aspect_ratio` comes back 16:9, the default one third party
 * reports (others say 1:1 or the input's shape): the case that made edits lose their shape.
 * Results are rendered at the ratio, scaled down (1K ≈ 512², 2K ≈ 768²) to keep tests fast.
 *
 * Lifecycle (driven by poll count so tests are fast): 1st recordInfo → waiting,
 * 2nd → generating, 3rd and later → success with `resultJson` as a JSON *string*.
 *
 * Where each failure mode hits (the same persistent mode can hit several requests in turn):
 * - upload: auth, rate_limit, server_error, malformed_json (hang via the kit); other modes pass,
 *   so a persistent mode reaches createTask the way it would on the real service.
 * - createTask: every mode. Errors are Kie's `{code, msg, data}`: auth is HTTP 401; 429 and 500
 *   are real HTTP statuses; insufficient credits (402), validation (422) and "server error"
 *   (`fail_in_200`, code 500) come inside HTTP 200, as third-party clients report Kie doing.
 *   `content_policy` here is a prompt refused at submit (code 422, "sensitive" wording).
 * - recordInfo: `fail_in_200` → state `fail`, failCode "500"; `content_policy` → state `fail`
 *   with an output-moderation message (the generated picture was refused); auth, rate_limit,
 *   server_error, malformed_json as above. Other modes let the task progress.
 * A prompt containing "[disabled]" gets code 505 (feature disabled) at createTask.
 * Auth errors echo the presented token on purpose, so tests prove the adapter redacts it.
 */
import { randomUUID } from 'node:crypto';
import { fakeImage, header, parseMultipart, startFake, type FakeContext, type FakeServer } from './kit';
import { callBackLater, kieSigned } from './webhook-sender';

const MODELS = new Set(['wan/2-7-image', 'wan/2-7-image-pro']);
const RESOLUTIONS = new Set(['1K', '2K', '4K']);
const RATIOS: Record<string, number> = {
  '1:1': 1,
  '16:9': 16 / 9,
  '4:3': 4 / 3,
  '21:9': 21 / 9,
  '3:4': 3 / 4,
  '9:16': 9 / 16,
  '8:1': 8,
  '1:8': 1 / 8,
};

type Task = {
  id: string;
  model: string;
  seed: number;
  n: number;
  param: string;
  polls: number;
  ratio: number;
  side: number;
  resultJson?: string;
};

function reply(ctx: FakeContext, code: number, msg: string, data: unknown = null, status = 200, headers: Record<string, string> = {}) {
  ctx.send(status, { code, msg, data }, headers);
}

/** Bearer token or undefined; a missing header or another scheme is Kie's 401. */
function bearer(ctx: FakeContext): string | undefined {
  const m = /^Bearer\s+(\S+)$/.exec(header(ctx, 'authorization') ?? '');
  return m?.[1];
}

/** Transport-level modes shared by every route; true when a reply was sent. */
function commonFailure(ctx: FakeContext, token: string | undefined): boolean {
  if (!token) {
    reply(ctx, 401, 'You do not have access permissions', null, 401);
    return true;
  }
  switch (ctx.mode) {
    case 'auth':
      reply(ctx, 401, `Invalid API key: ${token}`, null, 401);
      return true;
    case 'rate_limit':
      reply(ctx, 429, 'Request rate limit exceeded, please try again later', null, 429, { 'Retry-After': '1' });
      return true;
    case 'server_error':
      reply(ctx, 500, 'Server error, please try again later', null, 500);
      return true;
    case 'malformed_json':
      ctx.send(200, '<html><body>502 Bad Gateway</body></html>');
      return true;
    default:
      return false;
  }
}

async function handleUpload(ctx: FakeContext) {
  if (commonFailure(ctx, bearer(ctx))) return;
  const form = await parseMultipart(ctx);
  const file = form?.get('file');
  if (!form || !(file instanceof Blob) || file.size === 0) return reply(ctx, 400, 'file is required', null, 400);
  const uploadPath = String(form.get('uploadPath') ?? '');
  if (!uploadPath) return reply(ctx, 400, 'uploadPath is required', null, 400);
  const fileName = String(form.get('fileName') ?? `${randomUUID()}.bin`);
  const id = randomUUID();
  ctx.store.set(`file:${id}`, { bytes: Buffer.from(await file.arrayBuffer()), mime: file.type || 'application/octet-stream' });
  const downloadUrl = `${ctx.baseUrl}/files/${id}/${encodeURIComponent(fileName)}`;
  ctx.send(200, {
    success: true,
    code: 200,
    msg: 'File uploaded successfully',
    data: {
      fileName,
      filePath: `${uploadPath}/${fileName}`,
      downloadUrl,
      fileSize: file.size,
      mimeType: file.type,
      uploadedAt: new Date().toISOString(),
    },
  });
}

/** Returns a validation message in Kie's wording, or undefined when the request is valid. */
function validate(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return 'Request body must be JSON';
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || !b.model) return 'model: This field is required';
  if (!MODELS.has(b.model)) return 'The model name you specified is not supported';
  const input = b.input as Record<string, unknown> | undefined;
  if (!input || typeof input !== 'object') return 'input: This field is required';
  if (typeof input.prompt !== 'string' || !input.prompt.trim()) return 'input.prompt: This field is required';
  if (input.prompt.length > 5000) return 'input.prompt: must be at most 5000 characters';
  const urls = input.input_urls;
  if (urls !== undefined) {
    if (!Array.isArray(urls) || urls.length === 0 || urls.length > 9) return 'input.input_urls: 1 to 9 image URLs';
    if (!urls.every((u) => typeof u === 'string' && /^https?:\/\//.test(u))) return 'input.input_urls: must be URLs';
    if (input.thinking_mode === true) return 'input.thinking_mode: only available for text-to-image';
  }
  if (input.n !== undefined && (!Number.isInteger(input.n) || (input.n as number) < 1 || (input.n as number) > 12)) {
    return 'input.n: must be an integer from 1 to 12';
  }
  if (input.resolution !== undefined && !RESOLUTIONS.has(String(input.resolution))) return 'input.resolution: must be 1K, 2K or 4K';
  if (input.resolution === '4K' && urls !== undefined) return 'input.resolution: 4K is only supported for text-to-image';
  if (input.aspect_ratio !== undefined) {
    if (!(String(input.aspect_ratio) in RATIOS)) return `input.aspect_ratio: must be one of ${Object.keys(RATIOS).join(', ')}`;
    if (input.resolution === undefined) return 'input.aspect_ratio: requires resolution';
  }
  if (input.seed !== undefined && (!Number.isInteger(input.seed) || (input.seed as number) < 0 || (input.seed as number) > 2147483647)) {
    return 'input.seed: must be an integer from 0 to 2147483647';
  }
  return undefined;
}

function handleCreate(ctx: FakeContext) {
  if (commonFailure(ctx, bearer(ctx))) return;
  switch (ctx.mode) {
    case 'fail_in_200':
      return reply(ctx, 500, 'Server error, please try again later');
    case 'insufficient_funds':
      return reply(ctx, 402, 'Credits insufficient, please top up your account');
    case 'bad_input':
      return reply(ctx, 422, 'input.resolution: This field is invalid');
    case 'content_policy':
      return reply(ctx, 422, 'Your prompt contains sensitive content and was rejected by the content policy');
    default:
      break;
  }
  const body = ctx.json<Record<string, unknown>>();
  const problem = validate(body);
  if (problem) return reply(ctx, 422, problem);
  // A model turned off for the account: Kie's code 505 "feature disabled" (docs.kie.ai/common-api),
  // inside HTTP 200 like its other business codes. Triggered by "[disabled]" in the prompt.
  if (String((body as { input: { prompt: string } }).input.prompt).includes('[disabled]'))
    return reply(ctx, 505, 'This feature is disabled');
  const input = (body as { input: Record<string, unknown> }).input;
  const id = `task_wan_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const task: Task = {
    id,
    model: String((body as { model: string }).model),
    seed: typeof input.seed === 'number' ? input.seed : 0,
    n: typeof input.n === 'number' ? input.n : 4,
    param: JSON.stringify(body),
    polls: 0,
    ratio: RATIOS[String(input.aspect_ratio ?? '16:9')] ?? 16 / 9,
    side: input.resolution === '1K' ? 512 : 768,
  };
  ctx.store.set(`task:${id}`, task);
  reply(ctx, 200, 'success', { taskId: id });
  const hook = (body as { callBackUrl?: unknown }).callBackUrl;
  if (typeof hook === 'string') {
    callBackLater(hook, async () => {
      // Done: the next recordInfo answers success. Signed as with a webhookHmacKey set.
      task.polls = Math.max(task.polls, 2);
      const text = JSON.stringify({ code: 200, msg: 'Playground task completed successfully.', data: { taskId: id, state: 'success' } });
      return { body: text, headers: kieSigned(id) };
    });
  }
}

async function handleRecord(ctx: FakeContext) {
  if (commonFailure(ctx, bearer(ctx))) return;
  const taskId = ctx.url.searchParams.get('taskId');
  if (!taskId) return reply(ctx, 422, 'taskId: This field is required');
  const task = ctx.store.get(`task:${taskId}`) as Task | undefined;
  if (!task) return reply(ctx, 404, 'recordInfo is null');
  task.polls += 1;
  const base = { taskId: task.id, model: task.model, param: task.param, createTime: Date.now() - 1000, updateTime: Date.now() };
  const fail = (failCode: string, failMsg: string) =>
    reply(ctx, 200, 'success', { ...base, state: 'fail', resultJson: '', failCode, failMsg, completeTime: Date.now(), consumeCredits: 0 });
  if (ctx.mode === 'fail_in_200') return fail('500', 'Internal server error');
  if (ctx.mode === 'content_policy') return fail('400', 'The generated image was flagged as sensitive by the content safety system');

  if (task.polls === 1) return reply(ctx, 200, 'success', { ...base, state: 'waiting', resultJson: '', failCode: '', failMsg: '' });
  if (task.polls === 2) return reply(ctx, 200, 'success', { ...base, state: 'generating', resultJson: '', failCode: '', failMsg: '' });
  if (!task.resultJson) {
    const urls: string[] = [];
    const width = Math.round(task.side * Math.sqrt(task.ratio));
    const height = Math.round(task.side / Math.sqrt(task.ratio));
    for (let i = 0; i < task.n; i++) urls.push(ctx.issueOutput(await fakeImage(task.seed + i, width, height), 'image/png'));
    task.resultJson = JSON.stringify({ resultUrls: urls });
  }
  reply(ctx, 200, 'success', {
    ...base,
    state: 'success',
    resultJson: task.resultJson,
    failCode: '',
    failMsg: '',
    costTime: 1500,
    consumeCredits: 6,
    completeTime: Date.now(),
  });
}

function handleFile(ctx: FakeContext) {
  const id = ctx.url.pathname.split('/')[2] ?? '';
  const file = ctx.store.get(`file:${id}`) as { bytes: Buffer; mime: string } | undefined;
  if (!file) return ctx.send(404, { code: 404, msg: 'File not found' });
  ctx.res.writeHead(200, { 'content-type': file.mime, 'content-length': String(file.bytes.length) });
  ctx.res.end(file.bytes);
}

export function startKieFake(port = 0): Promise<FakeServer> {
  return startFake(
    'kie',
    async (ctx) => {
      const { pathname } = ctx.url;
      const method = ctx.req.method ?? 'GET';
      if (method === 'POST' && pathname === '/api/file-stream-upload') return handleUpload(ctx);
      if (method === 'POST' && pathname === '/api/v1/jobs/createTask') return handleCreate(ctx);
      if (method === 'GET' && pathname === '/api/v1/jobs/recordInfo') return handleRecord(ctx);
      if (method === 'GET' && pathname.startsWith('/files/')) return handleFile(ctx);
      reply(ctx, 404, `No route for ${method} ${pathname}`, null, 404);
    },
    port,
  );
}
