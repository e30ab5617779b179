import 'server-only';
import { randomUUID } from 'node:crypto';
import { defineHttpAdapter, type SendInit } from '../define-http-adapter';
import { ProviderError } from '../errors';
import { requireJson } from '../http';
import { LIMITS } from '../../net/fetch';
import type { AdapterConfig, AdapterContext, InputImage, OutputImage, PollResult, ProviderAdapter } from '../types';
import { comfyuiError, comfyuiExecutionError } from './errors';
import { entrySchema, handleSchema, queuedSchema, queueSchema, uploadSchema, type FileRef } from './wire';
import { fillWorkflow, loadWorkflowTemplate } from './workflow';

/**
 * Self-hosted ComfyUI over its own HTTP API (server.py routes, https://docs.comfy.org/development/comfyui-server/comms_routes
 * and comfyanonymous/ComfyUI server.py):
 *   POST /upload/image   multipart `image`, `overwrite`, `type` → {name, subfolder, type}
 *   POST /prompt         {prompt: <API workflow>, client_id} → {prompt_id, number, node_errors};
 *                        400 {error, node_errors} when validation fails
 *   GET  /history/{id}   {} while queued/running; then {[id]: {outputs: {node: {images: [{filename, subfolder, type}]}},
 *                        status: {status_str: success|error, completed, messages: [[event, data]…]}}}
 *   GET  /queue          {queue_running: [[number, id, …]], queue_pending: […]}: tells queued from running
 *   GET  /view?filename=&subfolder=&type=   the bytes
 *   POST /queue {delete: [id]} removes a pending prompt; POST /interrupt {prompt_id} stops it when running
 *                        (the prompt_id body is honoured by current servers; older ones interrupt whatever runs,
 *                        which we only call after /queue showed it is ours).
 * No auth of its own; COMFYUI_API_KEY, when set, goes as a Bearer token for a reverse proxy in front.
 * Config: baseUrl = COMFYUI_BASE_URL, apiKey = COMFYUI_API_KEY, options.workflow = COMFYUI_WORKFLOW (path).
 */

const VENDOR = 'ComfyUI';
const DEFAULT_TIMEOUT_MS = 30_000;

export function createComfyuiAdapter(config: AdapterConfig): ProviderAdapter {
  const baseUrl = (config.baseUrl ?? '').replace(/\/+$/, '');
  const workflowPath = config.options?.workflow;

  return defineHttpAdapter(
    {
      id: 'comfyui',
      vendor: VENDOR,
      config,
      baseUrl,
      // ComfyUI has no auth of its own; the key is for a reverse proxy in front, when there is one.
      auth: { scheme: 'Bearer', envKey: 'COMFYUI_API_KEY', optional: true },
      timeoutMs: DEFAULT_TIMEOUT_MS,
      // Self-hosted GPUs queue work from every user of the server: allow for a long queue.
      deadlineMs: 600_000,
      handle: handleSchema,
      httpError: comfyuiError,
      configured: () => Boolean(baseUrl) && loadWorkflowTemplate(workflowPath).ok,
      ready: () => {
        if (!baseUrl) throw new ProviderError({ code: 'bad_input', message: `${VENDOR}: COMFYUI_BASE_URL is not set.` });
      },
    },
    (http) => {
      const json = (body: unknown): SendInit => ({ method: 'POST', json: body });

      async function upload(image: InputImage, ctx: AdapterContext): Promise<string> {
        const ext = image.mime === 'image/jpeg' ? 'jpg' : image.mime.slice('image/'.length);
        // Content-addressed name: overwriting is harmless and concurrent runs never clash.
        const name = `proofsheet-${image.sha256.slice(0, 24)}.${ext}`;
        const form = new FormData();
        form.append('image', new Blob([new Uint8Array(image.bytes)], { type: image.mime }), name);
        form.append('overwrite', 'true');
        form.append('type', 'input');
        const res = await http.call('/upload/image', { method: 'POST', body: form }, ctx);
        const { name: stored, subfolder } = http.json(res, uploadSchema, 'the upload answer has no file name');
        return subfolder ? `${subfolder}/${stored}` : stored;
      }

      async function queueState(promptId: string, ctx: AdapterContext): Promise<'running' | 'queued' | undefined> {
        const q = http.json(await http.call('/queue', { method: 'GET' }, ctx), queueSchema, 'unexpected /queue answer');
        // Queue items are [number, prompt_id, prompt, extra_data, outputs].
        if (q.queue_running.some((item) => item[1] === promptId)) return 'running';
        if (q.queue_pending.some((item) => item[1] === promptId)) return 'queued';
        return undefined;
      }

      async function history(promptId: string, ctx: AdapterContext): Promise<unknown> {
        const body = requireJson(await http.call(`/history/${encodeURIComponent(promptId)}`, { method: 'GET' }, ctx), VENDOR);
        return body[promptId];
      }

      /** We fetch outputs ourselves: the server is usually private and may sit behind our Bearer proxy. */
      async function download(ref: FileRef, ctx: AdapterContext): Promise<OutputImage> {
        const q = new URLSearchParams({ filename: ref.filename, subfolder: ref.subfolder ?? '', type: ref.type ?? 'output' });
        // send(), not call(): a missing file is "gone", whatever the server's error body says.
        const res = await http.send(`/view?${q}`, { method: 'GET' }, ctx, { maxBytes: LIMITS.imageBytes });
        if (res.status >= 200 && res.status < 300 && res.bytes)
          return { bytes: res.bytes, mime: res.headers.get('content-type') ?? 'image/png' };
        throw new ProviderError({
          code: 'provider_error',
          httpStatus: res.status,
          message: `${VENDOR}: the output image is gone (HTTP ${res.status}).`,
        });
      }

      return {
        async submit(req, ctx) {
          const template = loadWorkflowTemplate(workflowPath);
          if (!template.ok)
            throw new ProviderError({ code: 'bad_input', message: `${VENDOR} workflow (COMFYUI_WORKFLOW): ${template.reason}.` });
          const { maxImages } = template.info;
          if (req.images.length === 0)
            throw new ProviderError({ code: 'bad_input', message: `${VENDOR}: the workflow needs a reference image.` });
          if (req.images.length > maxImages) {
            throw new ProviderError({
              code: 'bad_input',
              message: `${VENDOR}: the workflow loads ${maxImages} reference image${maxImages === 1 ? '' : 's'} ({{image_1}}…), this run has ${req.images.length}. Send fewer references or add {{image_${maxImages + 1}}} to the workflow.`,
            });
          }
          const names: string[] = [];
          for (const image of req.images) names.push(await upload(image, ctx));
          const prompt = fillWorkflow(template.workflow, {
            instruction: req.prompt,
            negativePrompt: req.negativePrompt,
            seed: Math.abs(Math.trunc(req.seed)),
            images: names,
            width: req.size?.width,
            height: req.size?.height,
            strength: req.strength,
            guidance: req.guidance,
          });
          const res = await http.call('/prompt', json({ prompt, client_id: randomUUID() }), ctx);
          const promptId = http.json(res, queuedSchema, '/prompt answered without a prompt_id').prompt_id;
          return http.pending(promptId, { promptId }, 1500);
        },

        async poll({ promptId }, ctx): Promise<PollResult> {
          let raw = await history(promptId, ctx);
          if (raw === undefined) {
            const state = await queueState(promptId, ctx);
            if (state) return { state, pollAfterMs: state === 'queued' ? 2000 : 1500 };
            // It may have finished between the two calls.
            raw = await history(promptId, ctx);
            if (raw === undefined) {
              return {
                state: 'failed',
                error: new ProviderError({
                  code: 'provider_error',
                  message: `${VENDOR} no longer knows prompt ${promptId} (the server restarted, or the job was deleted).`,
                }),
              };
            }
          }
          const entry = entrySchema.safeParse(raw);
          if (!entry.success)
            return {
              state: 'failed',
              error: new ProviderError({ code: 'provider_error', message: `${VENDOR}: unexpected /history entry.` }),
            };
          const { status, outputs = {} } = entry.data;
          const messages = status?.messages ?? [];
          if (status?.status_str === 'error') {
            if (messages.some(([event]) => event === 'execution_interrupted')) return { state: 'cancelled' };
            return { state: 'failed', error: comfyuiExecutionError(messages) };
          }
          // Servers older than the `status` field only add the entry once the prompt is done.
          if (status && status.status_str !== 'success' && !status.completed) return { state: 'running', pollAfterMs: 1500 };

          const refs = Object.values(outputs).flatMap((o) => o.images ?? []);
          // SaveImage writes type "output"; PreviewImage "temp": prefer saved images, fall back to previews.
          const saved = refs.filter((r) => (r.type ?? 'output') === 'output');
          const chosen = saved.length ? saved : refs;
          if (chosen.length === 0) {
            return {
              state: 'failed',
              error: new ProviderError({
                code: 'bad_input',
                message: `${VENDOR}: the workflow finished without an image; add a SaveImage node.`,
              }),
            };
          }
          const images: OutputImage[] = [];
          for (const ref of chosen) images.push(await download(ref, ctx));
          return { state: 'succeeded', images };
        },

        async cancel({ promptId }, ctx) {
          const state = await queueState(promptId, ctx);
          if (state === 'queued') await http.call('/queue', json({ delete: [promptId] }), ctx);
          else if (state === 'running') await http.call('/interrupt', json({ prompt_id: promptId }), ctx);
        },
      };
    },
  );
}
