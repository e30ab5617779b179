import 'server-only';
import { ProviderError } from '../errors';
import { httpError, type HttpResponse } from '../http';

/**
 * ComfyUI's failure shapes (comfyanonymous/ComfyUI server.py + execution.py):
 * - POST /prompt 400: `{error: {type, message, details, extra_info}, node_errors: {<id>: {errors:
 *   [{type, message, details}], class_type}}}` (a missing model file is `value_not_in_list`).
 * - a prompt that fails while running: history `status.status_str: "error"` with a
 *   `["execution_error", {node_id, node_type, exception_type, exception_message, …}]` message.
 * - 401/403: a reverse proxy refusing COMFYUI_API_KEY, or ComfyUI's own origin check.
 */

const VENDOR = 'ComfyUI';

type NodeError = { errors?: { message?: string; details?: string }[]; class_type?: string };

export function comfyuiError(res: HttpResponse, secrets: (string | undefined)[]): ProviderError {
  const body = res.json && typeof res.json === 'object' ? (res.json as Record<string, unknown>) : undefined;
  if (res.status === 400 && body && ('node_errors' in body || 'error' in body)) {
    return httpError(res, VENDOR, secrets, {
      code: 'bad_input',
      providerCode: errorType(body.error),
      message: describeValidation(body),
    });
  }
  if (res.status === 401 || res.status === 403) {
    return httpError(res, VENDOR, secrets, {
      code: 'auth',
      message: `the server refused the request (HTTP ${res.status}); check COMFYUI_API_KEY and the proxy in front of ComfyUI.`,
    });
  }
  if (res.status === 404) {
    // A 404 on /prompt or /upload/image means the base URL does not point at a ComfyUI server.
    return httpError(res, VENDOR, secrets, {
      code: 'provider_error',
      message: `${res.status} Not Found; is COMFYUI_BASE_URL the address of a ComfyUI server?`,
    });
  }
  return httpError(res, VENDOR, secrets);
}

function errorType(error: unknown): string | undefined {
  return error && typeof error === 'object' && typeof (error as { type?: unknown }).type === 'string'
    ? (error as { type: string }).type
    : undefined;
}

/** "node 1 (UNETLoader): Value not in list: unet_name: 'x' not in []; …", capped for the UI. */
function describeValidation(body: Record<string, unknown>): string {
  const parts: string[] = [];
  const nodeErrors = body.node_errors && typeof body.node_errors === 'object' ? (body.node_errors as Record<string, NodeError>) : {};
  for (const [id, ne] of Object.entries(nodeErrors)) {
    for (const e of ne.errors ?? []) {
      parts.push(`node ${id} (${ne.class_type ?? '?'}): ${[e.message, e.details].filter(Boolean).join(': ')}`);
    }
  }
  if (parts.length === 0) {
    const e = body.error;
    if (typeof e === 'string') parts.push(e);
    else if (e && typeof e === 'object') {
      const { message, details } = e as { message?: string; details?: string };
      parts.push([message, details].filter(Boolean).join(': '));
    }
  }
  const text = `the workflow was rejected: ${parts.join('; ') || 'invalid prompt'}`;
  return text.length > 600 ? `${text.slice(0, 597)}...` : text;
}

/**
 * Classifies an `execution_error`. Plain ComfyUI has no billing or moderation, but partner
 * (API) nodes raise "Payment Required…" when the comfy.org account is out of credit, and safety
 * checker nodes raise on flagged output; anything else is a server-side failure worth a retry.
 */
export function comfyuiExecutionError(messages: [string, unknown][]): ProviderError {
  const found = messages.find(([event]) => event === 'execution_error')?.[1];
  const data = found && typeof found === 'object' ? (found as Record<string, unknown>) : {};
  const text = typeof data.exception_message === 'string' ? data.exception_message.trim() : '';
  const type = typeof data.exception_type === 'string' ? data.exception_type : undefined;
  const where =
    typeof data.node_type === 'string' ? ` in ${data.node_type}${typeof data.node_id === 'string' ? ` (node ${data.node_id})` : ''}` : '';
  const message = `${VENDOR}: the workflow failed${where}: ${text || 'no error message'}`.slice(0, 600);
  if (/payment required|insufficient (credit|balance|fund)|out of credits?|\b402\b/i.test(text)) {
    return new ProviderError({ code: 'insufficient_funds', providerCode: type, message });
  }
  if (/content[ _-]?(policy|moderation)|moderation|nsfw|safety (checker|filter)/i.test(text)) {
    return new ProviderError({ code: 'content_policy', blocked: 'output', providerCode: type, message });
  }
  return new ProviderError({ code: 'provider_error', providerCode: type, message });
}
