import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import type { ActionResult } from '@/lib/schemas/result';
import { getContext, type Ctx } from './context';
import { invalidInput, toActionError } from './errors';

/**
 * The one shape of a server action: input parsed by its zod schema (typed from it, never
 * `unknown` at call sites), the request context resolved once, and every outcome turned
 * into an `ActionResult`. Services throw `AppError` for refusals; anything else becomes a
 * generic message with an error id, the detail only in the server log.
 */
export function defineAction<S extends z.ZodType, T>(name: string, schema: S, handler: (ctx: Ctx, input: z.output<S>) => Promise<T>) {
  return async (input: z.input<S>): Promise<ActionResult<T>> => {
    try {
      const parsed = schema.safeParse(input);
      if (!parsed.success) throw invalidInput(parsed.error);
      const ctx = await getContext();
      return { ok: true, data: await handler(ctx, parsed.data) };
    } catch (e) {
      // redirect() and notFound() are control flow for Next.js, not failures.
      unstable_rethrow(e);
      return { ok: false, error: toActionError(e, `action ${name}`) };
    }
  };
}
