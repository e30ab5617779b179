/**
 * Fake ComfyUI server: /upload/image, /prompt (with ComfyUI-style validation of the API
 * workflow), /history/{id}, /queue, /interrupt, /view. Shapes follow comfyanonymous/ComfyUI
 * server.py and execution.py (see lib/server/providers/comfyui/adapter.ts).
 *
 * Lifecycle, driven by GET /history/{id} calls: 1st → pending, 2nd → running (both `{}` with
 * the prompt in /queue), 3rd → finished. Outputs are served once by /view (the real server
 * keeps files; one-shot here proves the adapter fetches at success time).
 *
 * Modes. ComfyUI has no auth, billing or rate limit of its own; the transport modes are what a
 * reverse proxy in front of it answers, and they hit whichever request comes:
 *   rate_limit 429 + Retry-After: 1   server_error 500 (aiohttp's text page)   auth 401
 *   malformed_json 200 with an HTML page (a proxy login/error page)
 * Job modes are fixed at POST /prompt and show up in the history, as the real server reports
 * failures that happen while running:
 *   fail_in_200         status_str "error" + execution_error (CUDA out of memory)
 *   insufficient_funds  execution_error "Payment Required…" (what partner/API nodes raise)
 *   content_policy      execution_error from a safety checker flagging the output
 *   bad_input           /prompt 400 with node_errors (model file not installed)
 * Option `token`: when set, every request must carry `Authorization: Bearer <token>`.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { fakeImage, header, parseMultipart, startFake, type FakeContext, type FakeMode, type FakeServer } from './kit';

type Kind = 'LINK' | 'INT' | 'FLOAT' | 'STRING' | 'FILE' | string[];
type Spec = { required: Record<string, Kind>; optional?: Record<string, Kind>; output?: boolean };
const SAMPLERS = ['euler', 'euler_ancestral', 'dpmpp_2m'];
const SCHEDULERS = ['simple', 'normal', 'karras'];
const NODES: Record<string, Spec> = {
  CheckpointLoaderSimple: { required: { ckpt_name: ['sd_xl_base_1.0.safetensors'] } },
  UNETLoader: { required: { unet_name: ['qwen_image_edit_2509_fp8_e4m3fn.safetensors'], weight_dtype: ['default', 'fp8_e4m3fn'] } },
  CLIPLoader: {
    required: { clip_name: ['qwen_2.5_vl_7b_fp8_scaled.safetensors'], type: ['qwen_image', 'sdxl'] },
    optional: { device: ['default', 'cpu'] },
  },
  VAELoader: { required: { vae_name: ['qwen_image_vae.safetensors'] } },
  LoadImage: { required: { image: 'FILE' } },
  ImageScaleToTotalPixels: { required: { image: 'LINK', upscale_method: ['lanczos', 'bilinear'], megapixels: 'FLOAT' } },
  CLIPTextEncode: { required: { clip: 'LINK', text: 'STRING' } },
  TextEncodeQwenImageEditPlus: {
    required: { clip: 'LINK', prompt: 'STRING' },
    optional: { vae: 'LINK', image1: 'LINK', image2: 'LINK', image3: 'LINK' },
  },
  VAEEncode: { required: { pixels: 'LINK', vae: 'LINK' } },
  EmptyLatentImage: { required: { width: 'INT', height: 'INT', batch_size: 'INT' } },
  ModelSamplingAuraFlow: { required: { model: 'LINK', shift: 'FLOAT' } },
  CFGNorm: { required: { model: 'LINK', strength: 'FLOAT' } },
  KSampler: {
    required: {
      model: 'LINK',
      positive: 'LINK',
      negative: 'LINK',
      latent_image: 'LINK',
      seed: 'INT',
      steps: 'INT',
      cfg: 'FLOAT',
      sampler_name: SAMPLERS,
      scheduler: SCHEDULERS,
      denoise: 'FLOAT',
    },
  },
  VAEDecode: { required: { samples: 'LINK', vae: 'LINK' } },
  SaveImage: { required: { images: 'LINK', filename_prefix: 'STRING' }, output: true },
  PreviewImage: { required: { images: 'LINK' }, output: true },
};
const LIMITS: Record<string, [number, number]> = { denoise: [0, 1], seed: [0, 2 ** 64 - 1], steps: [1, 10000], cfg: [0, 100] };
const JOB_MODES: FakeMode[] = ['fail_in_200', 'insufficient_funds', 'content_policy'];

type Node = { class_type: string; inputs: Record<string, unknown> };
type Job = {
  id: string;
  number: number;
  prompt: Record<string, Node>;
  fate: FakeMode;
  polls: number;
  state: 'pending' | 'running' | 'done' | 'deleted';
  interrupted?: boolean;
  entry?: unknown;
};
type Upload = { width: number; height: number };
type NodeError = { type: string; message: string; details: string; extra_info: Record<string, unknown> };

export function startComfyuiFake(port = 0, opts: { token?: string } = {}): Promise<FakeServer> {
  return startFake('comfyui', (ctx) => handle(ctx, opts), port);
}

const jobs = (ctx: FakeContext) => (ctx.store.get('jobs') as Map<string, Job> | undefined) ?? setIn(ctx, 'jobs', new Map<string, Job>());
const uploads = (ctx: FakeContext) =>
  (ctx.store.get('uploads') as Map<string, Upload> | undefined) ?? setIn(ctx, 'uploads', new Map<string, Upload>());
const outputs = (ctx: FakeContext) =>
  (ctx.store.get('outputs') as Map<string, Buffer> | undefined) ?? setIn(ctx, 'outputs', new Map<string, Buffer>());
function setIn<T>(ctx: FakeContext, key: string, value: T): T {
  ctx.store.set(key, value);
  return value;
}

async function handle(ctx: FakeContext, opts: { token?: string }): Promise<void> {
  const { pathname } = ctx.url;
  const method = ctx.req.method ?? 'GET';
  if (opts.token && header(ctx, 'authorization') !== `Bearer ${opts.token}`) return ctx.send(401, '401: Unauthorized');
  if (ctx.mode === 'rate_limit') return ctx.send(429, '429: Too Many Requests', { 'retry-after': '1' });
  if (ctx.mode === 'server_error') return ctx.send(500, '500 Internal Server Error\n\nServer got itself in trouble');
  if (ctx.mode === 'auth') return ctx.send(401, '401: Unauthorized');
  if (ctx.mode === 'malformed_json')
    return ctx.send(200, '<!DOCTYPE html><html><body>Sign in</body></html>', { 'content-type': 'text/html' });

  if (pathname === '/upload/image' && method === 'POST') return upload(ctx);
  if (pathname === '/prompt' && method === 'POST') return queuePrompt(ctx);
  const hist = /^\/history\/([^/]+)$/.exec(pathname);
  if (hist && method === 'GET') return ctx.send(200, await history(ctx, decodeURIComponent(hist[1] ?? '')));
  if (pathname === '/queue' && method === 'GET') return ctx.send(200, queue(ctx));
  if (pathname === '/queue' && method === 'POST') {
    for (const id of ctx.json<{ delete?: string[] }>()?.delete ?? []) {
      const job = jobs(ctx).get(id);
      if (job?.state === 'pending') job.state = 'deleted';
    }
    return ctx.send(200, '');
  }
  if (pathname === '/interrupt' && method === 'POST') {
    const target = ctx.json<{ prompt_id?: string }>()?.prompt_id;
    for (const job of jobs(ctx).values()) if (job.state === 'running' && (!target || job.id === target)) job.interrupted = true;
    return ctx.send(200, '');
  }
  if (pathname === '/view' && method === 'GET') {
    const name = ctx.url.searchParams.get('filename') ?? '';
    if (!name || name.startsWith('/') || name.includes('..')) return ctx.send(400, '');
    const bytes = outputs(ctx).get(name);
    if (!bytes) return ctx.send(404, '404: Not Found');
    outputs(ctx).delete(name);
    ctx.res.writeHead(200, { 'content-type': 'image/png', 'content-disposition': `filename="${name}"` });
    return void ctx.res.end(bytes);
  }
  return ctx.send(404, '404: Not Found');
}

async function upload(ctx: FakeContext): Promise<void> {
  const form = await parseMultipart(ctx);
  const image = form?.get('image');
  if (!form || !image || typeof image === 'string' || !image.name) return ctx.send(400, '');
  const bytes = Buffer.from(await image.arrayBuffer());
  const meta = await sharp(bytes)
    .metadata()
    .catch(() => undefined);
  if (!meta?.width || !meta.height) return ctx.send(400, '');
  const subfolder = String(form.get('subfolder') ?? '');
  let name = image.name;
  const overwrite = ['true', '1'].includes(String(form.get('overwrite') ?? ''));
  for (let i = 1; !overwrite && uploads(ctx).has(join(subfolder, name)); i++) name = image.name.replace(/(\.[^.]*)?$/, ` (${i})$1`);
  uploads(ctx).set(join(subfolder, name), { width: meta.width, height: meta.height });
  return ctx.send(200, { name, subfolder, type: String(form.get('type') ?? 'input') });
}

const join = (subfolder: string, name: string) => (subfolder ? `${subfolder}/${name}` : name);

function queuePrompt(ctx: FakeContext): void {
  const body = ctx.json<{ prompt?: unknown }>();
  const prompt = body?.prompt;
  if (!prompt || typeof prompt !== 'object') {
    ctx.send(400, { error: 'no prompt', node_errors: [] });
    return;
  }
  const nodes = prompt as Record<string, Node>;
  for (const [id, node] of Object.entries(nodes)) {
    if (!node || typeof node.class_type !== 'string' || !NODES[node.class_type]) {
      const error = {
        type: 'invalid_prompt',
        message: `Cannot execute because node ${node?.class_type} does not exist.`,
        details: `Node ID '#${id}'`,
        extra_info: {},
      };
      ctx.send(400, { error, node_errors: {} });
      return;
    }
  }
  if (!Object.values(nodes).some((n) => NODES[n.class_type]?.output)) {
    ctx.send(400, {
      error: { type: 'prompt_no_outputs', message: 'Prompt has no outputs', details: '', extra_info: {} },
      node_errors: [],
    });
    return;
  }
  const nodeErrors: Record<string, { errors: NodeError[]; dependent_outputs: string[]; class_type: string }> = {};
  for (const [id, node] of Object.entries(nodes)) {
    const errors = validateNode(ctx, nodes, node);
    if (ctx.mode === 'bad_input' && node.class_type.endsWith('Loader') && Object.keys(nodeErrors).length === 0) {
      const [input, value] = Object.entries(node.inputs)[0] ?? ['', ''];
      errors.push(err('value_not_in_list', 'Value not in list', `${input}: '${String(value)}' not in []`, { input_name: input }));
    }
    if (errors.length) nodeErrors[id] = { errors, dependent_outputs: [], class_type: node.class_type };
  }
  if (Object.keys(nodeErrors).length) {
    const details = Object.values(nodeErrors)
      .flatMap((n) => n.errors.map((e) => `${e.message}: ${e.details}`))
      .join('\n');
    ctx.send(400, {
      error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details, extra_info: {} },
      node_errors: nodeErrors,
    });
    return;
  }
  const number = jobs(ctx).size;
  const id = randomUUID();
  jobs(ctx).set(id, { id, number, prompt: nodes, fate: JOB_MODES.includes(ctx.mode) ? ctx.mode : 'ok', polls: 0, state: 'pending' });
  ctx.send(200, { prompt_id: id, number, node_errors: {} });
}

const err = (type: string, message: string, details: string, extra_info: Record<string, unknown> = {}): NodeError => ({
  type,
  message,
  details,
  extra_info,
});

function validateNode(ctx: FakeContext, nodes: Record<string, Node>, node: Node): NodeError[] {
  const spec = NODES[node.class_type];
  if (!spec) return [];
  const errors: NodeError[] = [];
  const all: [string, Kind, boolean][] = [
    ...Object.entries(spec.required).map(([k, v]) => [k, v, true] as [string, Kind, boolean]),
    ...Object.entries(spec.optional ?? {}).map(([k, v]) => [k, v, false] as [string, Kind, boolean]),
  ];
  for (const [name, kind, required] of all) {
    const v = node.inputs?.[name];
    if (v === undefined) {
      if (required) errors.push(err('required_input_missing', 'Required input is missing', name, { input_name: name }));
      continue;
    }
    if (kind === 'LINK') {
      if (!Array.isArray(v) || v.length !== 2 || !nodes[String(v[0])])
        errors.push(err('bad_linked_input', 'Bad linked input, must be a length-2 list of [node_id, slot_index]', name));
    } else if (kind === 'INT' || kind === 'FLOAT') {
      const n = typeof v === 'number' || typeof v === 'string' ? Number(v) : NaN;
      if (!Number.isFinite(n) || (kind === 'INT' && !Number.isInteger(n))) {
        errors.push(
          err('invalid_input_type', `Failed to convert an input value to a ${kind} value`, `${name}, ${String(v)}`, {
            input_name: name,
            received_value: v,
          }),
        );
      } else if (LIMITS[name] && (n < (LIMITS[name]?.[0] ?? 0) || n > (LIMITS[name]?.[1] ?? 0))) {
        errors.push(err('value_out_of_range', `Value ${n} out of range`, name, { input_name: name }));
      }
    } else if (kind === 'STRING') {
      if (typeof v !== 'string') errors.push(err('invalid_input_type', 'Failed to convert an input value to a STRING value', name));
    } else if (kind === 'FILE') {
      if (typeof v !== 'string' || !uploads(ctx).has(v))
        errors.push(err('value_not_in_list', 'Value not in list', `${name}: '${String(v)}' not in (list of length ${uploads(ctx).size})`));
    } else if (!kind.includes(String(v))) {
      errors.push(err('value_not_in_list', 'Value not in list', `${name}: '${String(v)}' not in ${JSON.stringify(kind)}`));
    }
  }
  return errors;
}

function queue(ctx: FakeContext) {
  const item = (j: Job) => [j.number, j.id, j.prompt, { client_id: 'fake' }, []];
  const all = [...jobs(ctx).values()];
  return {
    queue_running: all.filter((j) => j.state === 'running').map(item),
    queue_pending: all.filter((j) => j.state === 'pending').map(item),
  };
}

async function history(ctx: FakeContext, id: string): Promise<Record<string, unknown>> {
  const job = jobs(ctx).get(id);
  if (!job || job.state === 'deleted') return {};
  if (job.state !== 'done') {
    job.polls += 1;
    if (job.polls === 1) return {};
    if (job.polls === 2 && !job.interrupted) {
      job.state = 'running';
      return {};
    }
    job.state = 'done';
    job.entry = await finish(ctx, job);
  }
  return { [id]: job.entry };
}

async function finish(ctx: FakeContext, job: Job): Promise<unknown> {
  const at = Date.now();
  const start: [string, unknown] = ['execution_start', { prompt_id: job.id, timestamp: at }];
  const sampler = Object.entries(job.prompt).find(([, n]) => n.class_type === 'KSampler');
  const failure = (exception_type: string, exception_message: string) => ({
    prompt: [job.number, job.id, job.prompt, {}, []],
    outputs: {},
    status: {
      status_str: 'error',
      completed: false,
      messages: [
        start,
        [
          'execution_error',
          {
            prompt_id: job.id,
            node_id: sampler?.[0] ?? '1',
            node_type: sampler?.[1].class_type ?? 'KSampler',
            executed: [],
            exception_message,
            exception_type,
            traceback: [],
            current_inputs: {},
            current_outputs: {},
            timestamp: at,
          },
        ],
      ],
    },
  });
  if (job.interrupted) {
    const messages = [
      start,
      ['execution_interrupted', { prompt_id: job.id, node_id: sampler?.[0] ?? '1', node_type: 'KSampler', executed: [], timestamp: at }],
    ];
    return { prompt: [job.number, job.id, job.prompt, {}, []], outputs: {}, status: { status_str: 'error', completed: false, messages } };
  }
  if (job.fate === 'fail_in_200')
    return failure('torch.OutOfMemoryError', 'Allocation on device 0 would exceed allowed memory. (out of memory)');
  if (job.fate === 'insufficient_funds')
    return failure('Exception', 'Payment Required: Please add credits to your account to use this node.');
  if (job.fate === 'content_policy')
    return failure('Exception', 'Content moderation: the safety checker flagged the generated image (NSFW).');

  const out: Record<string, unknown> = {};
  const firstImage = Object.values(job.prompt).find((n) => n.class_type === 'LoadImage')?.inputs.image;
  const dims = uploads(ctx).get(String(firstImage)) ?? { width: 512, height: 512 };
  const seed = Number(sampler?.[1].inputs.seed ?? 1);
  for (const [id, node] of Object.entries(job.prompt)) {
    if (node.class_type !== 'SaveImage') continue;
    const filename = `${String(node.inputs.filename_prefix)}_${String(job.number + 1).padStart(5, '0')}_.png`;
    outputs(ctx).set(filename, await fakeImage(seed, dims.width, dims.height, 'png'));
    out[id] = { images: [{ filename, subfolder: '', type: 'output' }] };
  }
  const messages = [
    start,
    ['execution_cached', { nodes: [], prompt_id: job.id, timestamp: at }],
    ['execution_success', { prompt_id: job.id, timestamp: at }],
  ];
  return { prompt: [job.number, job.id, job.prompt, {}, []], outputs: out, status: { status_str: 'success', completed: true, messages } };
}
