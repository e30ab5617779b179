import 'server-only';
import { defineHttpAdapter } from '../define-http-adapter';
import { ProviderError } from '../errors';
import type { AdapterConfig, OutputImage, PollResult, ProviderAdapter, Usage } from '../types';
import { dashscopeHttpError, taskFailure } from './errors';
import {
  WAN21_MODEL,
  WAN21_PATH,
  WAN27_PATH,
  buildBody,
  buildWan21Body,
  createSchema,
  dashscopeBaseUrl,
  handleSchema,
  isInternationalHost,
  taskSchema,
  type DashScopeTask,
} from './wire';

export { DASHSCOPE_BASE_URLS, dashscopeBaseUrl } from './wire';

/** Create/query/cancel answer at once; the request carries up to 4 data URIs (a few MB). */
const SUBMIT_TIMEOUT_MS = 60_000;
const QUERY_TIMEOUT_MS = 30_000;
/**
 * Query limit is 20 QPS per account and tasks take 1–2 minutes
 * (https://www.alibabacloud.com/help/en/model-studio/manage-asynchronous-tasks).
 */
const POLL_AFTER_MS = 5_000;

/**
 * Alibaba Cloud Model Studio (DashScope), Wan 2.7/2.6 image editing through the async API:
 * `POST {base}/services/aigc/image-generation/generation` with `X-DashScope-Async: enable`,
 * then `GET {base}/tasks/{task_id}`
 * (https://docs.qwencloud.com/api-reference/image-generation/wan27-image-gen-edit/create-task).
 * Wan 2.1 (`wanx2.1-imageedit`) posts to `{base}/services/aigc/image2image/image-synthesis`
 * instead, with the same header, task query and cancel (help.aliyun.com/zh/model-studio/wanx-image-edit).
 * `config.options.region` ('intl' | 'cn') picks the host when no base URL is configured.
 */
export function createDashScopeAdapter(config: AdapterConfig): ProviderAdapter {
  return defineHttpAdapter(
    {
      id: 'dashscope',
      vendor: 'DashScope',
      config,
      baseUrl: dashscopeBaseUrl(config.baseUrl, config.options?.region),
      auth: { scheme: 'Bearer', envKey: 'DASHSCOPE_API_KEY' },
      timeoutMs: QUERY_TIMEOUT_MS,
      // "Image generation tasks take 1 to 2 minutes" (create-task page above): twice the upper bound.
      deadlineMs: 240_000,
      handle: handleSchema,
      httpError: dashscopeHttpError,
    },
    (http) => ({
      async submit(req, ctx) {
        if (req.images.length === 0)
          throw new ProviderError({ code: 'bad_input', message: 'DashScope: image editing needs at least one reference image.' });
        const wan21 = req.model === WAN21_MODEL;
        if (wan21 && isInternationalHost(http.base)) {
          throw new ProviderError({
            code: 'bad_input',
            message:
              'DashScope: Wan 2.1 image edit (wanx2.1-imageedit) is served only in the China (Beijing) region. Set DASHSCOPE_REGION=cn with a Beijing API key.',
          });
        }
        const res = await http.call(
          wan21 ? WAN21_PATH : WAN27_PATH,
          { method: 'POST', headers: { 'x-dashscope-async': 'enable' }, json: wan21 ? buildWan21Body(req) : buildBody(req) },
          ctx,
          { timeoutMs: SUBMIT_TIMEOUT_MS },
        );
        const { output } = http.json(res, createSchema, 'the create-task answer had no task_id');
        if (output.task_status === 'FAILED') throw taskFailure(output, http.secrets);
        return http.pending(output.task_id, { v: 1, taskId: output.task_id, model: req.model }, POLL_AFTER_MS);
      },

      async poll(handle, ctx) {
        const res = await http.call(`/tasks/${encodeURIComponent(handle.taskId)}`, { method: 'GET' }, ctx);
        return toPollResult(http.json(res, taskSchema, 'the task answer had no task_status'), http.secrets);
      },

      /**
       * `POST {base}/tasks/{task_id}/cancel` cancels a task that is still PENDING (official SDK
       * dashscope/dashscope-sdk-python `BaseAsyncAioApi.cancel`; "cancel queued tasks",
       * https://www.alibabacloud.com/help/en/model-studio/manage-asynchronous-tasks). A running or finished
       * task cannot be cancelled; DashScope refuses with a 4xx, which is not an error for us: there is
       * nothing left to stop, and the worker stops polling either way.
       */
      async cancel(handle, ctx) {
        const res = await http.send(`/tasks/${encodeURIComponent(handle.taskId)}/cancel`, { method: 'POST' }, ctx);
        if (res.status >= 200 && res.status < 300) return;
        const err = http.error(res);
        if (err.code === 'bad_input') return;
        throw err;
      },
    }),
  );
}

/**
 * PENDING → queued, RUNNING → running, SUCCEEDED → succeeded, FAILED → failed, CANCELED → cancelled,
 * UNKNOWN (task id expired after 24 h, or invalid) → failed. Result images are at
 * `output.choices[].message.content[].image` (Wan 2.7/2.6) or `output.results[].url` (Wan 2.1),
 * signed URLs valid 24 h.
 */
function toPollResult(task: DashScopeTask, secrets: (string | undefined)[]): PollResult {
  const out = task.output;
  switch (out.task_status) {
    case 'PENDING':
      return { state: 'queued', pollAfterMs: POLL_AFTER_MS };
    case 'RUNNING':
      return { state: 'running', pollAfterMs: POLL_AFTER_MS };
    case 'CANCELED':
      return { state: 'cancelled' };
    case 'FAILED':
      return { state: 'failed', error: taskFailure(out, secrets) };
    case 'UNKNOWN':
      return {
        state: 'failed',
        error: new ProviderError({
          code: 'provider_error',
          message: 'DashScope: the task is unknown (its id expired after 24 h, or belongs to another region).',
        }),
      };
    case 'SUCCEEDED':
      return succeeded(task, secrets);
    default:
      return { state: 'running', pollAfterMs: POLL_AFTER_MS };
  }
}

function succeeded(task: DashScopeTask, secrets: (string | undefined)[]): PollResult {
  const urls = [
    ...(task.output.choices ?? []).flatMap((c) => (c.message?.content ?? []).map((p) => p.image)),
    ...(task.output.results ?? []).map((r) => r.url),
  ].filter((u): u is string => typeof u === 'string' && u.length > 0);
  if (urls.length === 0) {
    // A multi-output task is SUCCEEDED if any part succeeded; with none, the code/message says why.
    const error = task.output.code
      ? taskFailure(task.output, secrets)
      : new ProviderError({ code: 'provider_error', message: 'DashScope: the task succeeded without an image.' });
    return { state: 'failed', error };
  }
  const images: OutputImage[] = urls.map((url) => ({ url, mime: 'image/png' }));
  const usage: Usage | undefined = task.usage ? { details: { ...task.usage } } : undefined;
  return { state: 'succeeded', images, usage };
}
