import 'server-only';
import type { z } from 'zod';
import type { Ctx, TokenScope } from '../context';
import { AppError } from '../errors';
import { defineRoute, type RouteInput } from '../route';
import { apiRateLimiter } from './rate-limit';
import { hasScope } from './tokens';
import { resumePendingWebhooksOnce } from './webhooks-out';

type Schema = z.ZodType | undefined;
export type ApiCtx = Ctx & { readonly actor: Extract<Ctx['actor'], { kind: 'token' }> };

/**
 * A /api/v1 route: defineRoute (zod, the one error shape) plus what a pipeline's call needs:
 * a bearer token (a studio session is not enough: the API's caller is always a token, so
 * scopes and limits always apply), the scope the operation needs, and the token's rate limit.
 */
export function defineApiRoute<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined>(
  spec: { name: string; scope: TokenScope; params?: P; query?: Q; body?: B },
  handler: (ctx: ApiCtx, input: RouteInput<P, Q, B>) => Promise<Response | object>,
) {
  return defineRoute({ name: spec.name, params: spec.params, query: spec.query, body: spec.body }, async (ctx, input) => {
    const actor = ctx.actor;
    if (actor.kind !== 'token') throw new AppError('unauthorized', 'Send an API token: Authorization: Bearer ps_…');
    if (!hasScope(actor.scopes, spec.scope)) throw new AppError('forbidden', `This token lacks the ${spec.scope} scope.`);
    const verdict = apiRateLimiter().take(actor.tokenId);
    if (!verdict.allowed) {
      throw new AppError('rate_limited', 'Too many requests with this token; wait and try again.', {
        retryAfter: verdict.retryAfterSeconds,
      });
    }
    resumePendingWebhooksOnce();
    return handler({ ...ctx, actor }, input);
  });
}
