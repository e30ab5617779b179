import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import { getContext, type Ctx } from './context';
import { AppError, errorResponse, invalidInput } from './errors';

type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export type RouteInput<P extends Schema, Q extends Schema, B extends Schema> = {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  request: Request;
};

type RouteSpec<P extends Schema, Q extends Schema, B extends Schema> = {
  /** Names the route in the server log. */
  name: string;
  params?: P;
  query?: Q;
  /** A JSON body. Routes that stream (uploads) read `request` themselves. */
  body?: B;
};

type NextRouteContext = { params: Promise<Record<string, string | string[]>> };

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(parsed.error, `Invalid ${what}: ${parsed.error.issues[0]?.message ?? 'not accepted'}.`);
  return parsed.data;
}

/**
 * The one shape of a route handler: params, query and JSON body parsed by zod, the request
 * context, and one JSON error shape (`{ error: { code, message, fields?, errorId? } }`) with
 * the code's HTTP status. A handler returns a `Response` (assets, streams) or data, which is
 * sent as JSON and never cached.
 */
export function defineRoute<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined>(
  spec: RouteSpec<P, Q, B>,
  handler: (ctx: Ctx, input: RouteInput<P, Q, B>) => Promise<Response | object>,
) {
  return async (request: Request, context?: NextRouteContext): Promise<Response> => {
    try {
      const params = spec.params ? parse(spec.params, context ? await context.params : {}, 'path') : undefined;
      const query = spec.query ? parse(spec.query, Object.fromEntries(new URL(request.url).searchParams), 'query') : undefined;
      let body: unknown;
      if (spec.body) {
        let json: unknown;
        try {
          json = await request.json();
        } catch {
          throw new AppError('invalid_input', 'The request body must be JSON.');
        }
        body = parse(spec.body, json, 'body');
      }
      const ctx = await getContext();
      const result = await handler(ctx, { params, query, body, request } as RouteInput<P, Q, B>);
      if (result instanceof Response) return result;
      return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
    } catch (e) {
      unstable_rethrow(e);
      return errorResponse(e, `route ${spec.name}`);
    }
  };
}
