/** Every server action returns this: a typed success, or an error code with a message for people. */
export type ActionError = {
  code: 'invalid_input' | 'not_found' | 'not_configured' | 'conflict' | 'internal';
  message: string;
  fields?: Record<string, string>;
};

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

export function fail(code: ActionError['code'], message: string, fields?: Record<string, string>): { ok: false; error: ActionError } {
  return { ok: false, error: { code, message, ...(fields ? { fields } : {}) } };
}
