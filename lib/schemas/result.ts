import type { AppErrorCode } from './errors';

/**
 * The one error shape every caller sees: server actions return it inside `ActionResult`,
 * routes send it as `{ error }` with the matching HTTP status. `fields` maps an input path
 * (`instruction`, `targets.0`) to its message; `errorId` is set only for unexpected failures,
 * so a person can quote it and an operator can find the detail in the server log.
 */
export type ActionError = {
  code: AppErrorCode;
  message: string;
  fields?: Record<string, string>;
  errorId?: string;
};

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

/** The JSON body of every failed route response. */
export type ApiErrorBody = { error: ActionError };
