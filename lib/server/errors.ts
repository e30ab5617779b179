import 'server-only';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { APP_ERROR_STATUS, GENERIC_ERROR_MESSAGE, type AppErrorCode } from '@/lib/schemas/errors';
import type { ActionError } from '@/lib/schemas/result';
import { redact } from './redact';

/**
 * The one error type services throw. Its message is for people and is shown as is; anything
 * else thrown is unexpected and reaches the user only as a generic message with an id.
 */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly fields?: Record<string, string>;
  /** Seconds, for `rate_limited` and `unavailable` (sent as Retry-After by routes). */
  readonly retryAfter?: number;

  constructor(
    code: AppErrorCode,
    message: string,
    options: { fields?: Record<string, string>; retryAfter?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.fields = options.fields;
    this.retryAfter = options.retryAfter;
  }

  get status(): number {
    return APP_ERROR_STATUS[this.code];
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Shorthand for the most common refusal. */
export function notFound(message: string): AppError {
  return new AppError('not_found', message);
}

/** zod issues → `invalid_input` with one message per field (the first issue of each path). */
export function invalidInput(error: z.ZodError, message?: string): AppError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || 'form';
    fields[key] ??= issue.message;
  }
  return new AppError('invalid_input', message ?? error.issues[0]?.message ?? 'The input is not valid.', { fields });
}

/** A short id a person can quote; the server log carries it beside the detail. */
function newErrorId(): string {
  return randomBytes(6).toString('hex');
}

/**
 * Turns anything thrown into what a caller may see. Expected errors pass through; anything
 * else is logged once here, redacted, with an id, and replaced by the generic message: no
 * paths, no SQL, no stack ever reach a browser or an API client.
 */
export function toActionError(e: unknown, where: string): ActionError {
  if (isAppError(e)) return { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) };
  if (e instanceof z.ZodError) return toActionError(invalidInput(e), where);
  const errorId = newErrorId();
  logUnexpected(e, where, errorId);
  return { code: 'internal', message: GENERIC_ERROR_MESSAGE, errorId };
}

function logUnexpected(e: unknown, where: string, errorId: string): void {
  const detail = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  console.error(`[error ${errorId}] ${where}: ${redact(detail)}`);
}

/** The JSON error response of every route: `{ error }` with the code's status. */
export function errorResponse(e: unknown, where: string, headers?: HeadersInit): Response {
  const error = toActionError(e, where);
  const h = new Headers(headers);
  h.set('Cache-Control', 'no-store');
  if (isAppError(e) && e.retryAfter !== undefined) h.set('Retry-After', String(Math.ceil(e.retryAfter)));
  return Response.json({ error }, { status: APP_ERROR_STATUS[error.code], headers: h });
}
