import 'server-only';
import { z } from 'zod';
import { ProviderError, codeForStatus, type ProviderErrorCode } from '../errors';
import { httpError, redact, type HttpResponse } from '../http';
import type { DashScopeTask } from './wire';

const VENDOR = 'DashScope';

const errorSchema = z.object({ request_id: z.string().optional(), code: z.string().optional(), message: z.string().optional() });

/**
 * Error codes (https://help.aliyun.com/zh/dashscope/return-status-code-description): 400
 * InvalidParameter / DataInspectionFailed / Arrearage, 401 InvalidApiKey, 403 AccessDenied,
 * 408 RequestTimeOut, 429 Throttling*, 500 InternalError*. The code says more than the status
 * (Arrearage and moderation both arrive as 400).
 */
function codeForDashScope(code: string | undefined, status: number): ProviderErrorCode {
  if (!code) return codeForStatus(status);
  if (code === 'InvalidApiKey' || code.startsWith('AccessDenied')) return 'auth';
  if (code === 'Arrearage') return 'insufficient_funds';
  if (code.startsWith('Throttling')) return 'rate_limited';
  if (/^(DataInspectionFailed|data_inspection_failed|IPInfringementSuspect)/.test(code)) return 'content_policy';
  if (code === 'RequestTimeOut') return 'timeout';
  if (code.startsWith('InternalError') || code === 'SystemError') return 'provider_error';
  if (/^(InvalidParameter|BadRequest|InvalidURL|InvalidFile|InvalidImage|ModelNotFound)/.test(code)) return 'bad_input';
  return codeForStatus(status);
}

/** Moderation messages say which side they refused: "Input data may contain…" / "Output data…". */
function blockedSide(message: string, fallback: 'input' | 'output'): 'input' | 'output' {
  if (/\boutput\b/i.test(message)) return 'output';
  if (/\binput\b/i.test(message)) return 'input';
  return fallback;
}

/** A non-2xx answer from any DashScope endpoint. At submit, moderation refused the input. */
export function dashscopeHttpError(res: HttpResponse, secrets: (string | undefined)[]): ProviderError {
  const parsed = errorSchema.safeParse(res.json);
  const vendorCode = parsed.success ? parsed.data.code : undefined;
  const message = (parsed.success ? parsed.data.message : undefined) ?? res.text.slice(0, 300);
  const code = codeForDashScope(vendorCode, res.status);
  return httpError(res, VENDOR, secrets, {
    code,
    providerCode: vendorCode,
    message: vendorCode ? `${message || `HTTP ${res.status}`} (${vendorCode})` : message || `HTTP ${res.status}`,
    blocked: code === 'content_policy' ? blockedSide(message, 'input') : undefined,
  });
}

/** `task_status: FAILED` with `code`/`message` in `output` (HTTP 200). Moderation here is usually of the output. */
export function taskFailure(output: DashScopeTask['output'], secrets: (string | undefined)[]): ProviderError {
  const message = output.message || 'the task failed without a message';
  const code = codeForDashScope(output.code, 500);
  return new ProviderError({
    code,
    providerCode: output.code,
    message: redact(`${VENDOR}: ${message}${output.code ? ` (${output.code})` : ''}`, secrets),
    blocked: code === 'content_policy' ? blockedSide(message, 'output') : undefined,
    retryAfterMs: code === 'rate_limited' ? 10_000 : undefined,
  });
}
