import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import type { ReviewerDto } from '@/lib/schemas/review';
import type { Ctx } from '../context';
import { AppError, errorResponse, invalidInput } from '../errors';
import { reviewerFromCookieHeader } from './reviewer-cookie';
import { requireViewer } from './viewer';

type Schema = z.ZodType | undefined;

const MAX_BODY_BYTES = 16_384;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

type Input<P extends Schema, B extends Schema> = {
  params: Out<P> & { token: string };
  body: Out<B>;
  request: Request;
  /** From the reviewer cookie; null before the reviewer has given a name. */
  reviewer: ReviewerDto | null;
};

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(parsed.error, `Invalid ${what}: ${parsed.error.issues[0]?.message ?? 'not accepted'}.`);
  return parsed.data;
}

/**
 * The route shape for /api/review/<token>/…: like defineRoute, but the caller is the share
 * link the path names (never getContext: the studio's cookie or the loopback owner must not
 * turn a review request into an owner's one). Unknown token → 404; revoked/expired → 403.
 */
export function defineReviewRoute<P extends Schema = undefined, B extends Schema = undefined>(
  spec: { name: string; params?: P; body?: B },
  handler: (ctx: Ctx, input: Input<P, B>) => Promise<Response | object>,
) {
  return async (request: Request, context: { params: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    try {
      const raw = await context.params;
      const token = typeof raw.token === 'string' ? raw.token : '';
      const parsed = (spec.params ? parse(spec.params, raw, 'path') : {}) as object;
      const params = { ...parsed, token } as Input<P, B>['params'];
      let body: unknown;
      if (spec.body) {
        // A verdict with its longest comment is ~8 KB as JSON: anything far larger is not a reviewer typing.
        if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES)
          throw new AppError('payload_too_large', 'That is too long.');
        const text = await request.text();
        if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new AppError('payload_too_large', 'That is too long.');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw new AppError('invalid_input', 'The request body must be JSON.');
        }
        body = parse(spec.body, json, 'body');
      }
      const ctx = await requireViewer(token);
      const reviewer = reviewerFromCookieHeader(request.headers.get('cookie'));
      const result = await handler(ctx, { params, body, request, reviewer } as Input<P, B>);
      if (result instanceof Response) return result;
      return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
    } catch (e) {
      unstable_rethrow(e);
      return errorResponse(e, `review route ${spec.name}`);
    }
  };
}

/** Writes need a name first (the page asks for it before showing the buttons). */
export function requireReviewer(reviewer: ReviewerDto | null): ReviewerDto {
  if (!reviewer) throw new AppError('unauthorized', 'Give your name before reviewing.');
  return reviewer;
}
