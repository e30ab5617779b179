import 'server-only';
import { z } from 'zod';
import { AppError, errorResponse } from '../errors';
import { accessRequired, perimeterConfig } from './config';
import { safeNextPath } from './paths';
import { clientKey, signInLimiter } from './rate-limit';
import { clearSessionCookieHeader, createSessionValue, sessionCookieHeader, verifyAccessSecret } from './session';

const bodySchema = z.object({
  secret: z.string().max(1024),
  next: z.string().max(2000).optional(),
});

/** Over https the cookie is Secure; plain http on a LAN cannot carry a Secure cookie. */
function isHttps(request: Request): boolean {
  return request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https' || new URL(request.url).protocol === 'https:';
}

/**
 * POST /api/auth/sign-in `{ secret, next? }` → 200 `{ next }` with the session cookie; 401 for a
 * wrong secret; 429 with Retry-After once a client (or everyone together) has failed too often.
 * The limit is checked before the secret, so a locked-out guesser learns nothing.
 */
export async function handleSignIn(request: Request, now = Date.now()): Promise<Response> {
  try {
    const config = perimeterConfig();
    if (!accessRequired(config)) throw new AppError('not_configured', 'Sign-in is off: no ACCESS_TOKEN is set.');
    let body: z.infer<typeof bodySchema>;
    try {
      body = bodySchema.parse(await request.json());
    } catch {
      throw new AppError('invalid_input', 'Send the access token as JSON: { "secret": "…" }.');
    }
    const limiter = signInLimiter();
    const key = clientKey(request.headers);
    const verdict = limiter.check(key, now);
    if (!verdict.allowed) {
      const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
      throw new AppError('rate_limited', `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, {
        retryAfter: verdict.retryAfterSeconds,
      });
    }
    if (!verifyAccessSecret(body.secret, config.secrets)) {
      limiter.fail(key, now);
      throw new AppError('unauthorized', 'That access token is not right.');
    }
    limiter.succeed(key);
    const cookie = sessionCookieHeader(createSessionValue(config.secrets, now), { secure: isHttps(request) });
    return Response.json({ next: safeNextPath(body.next) }, { headers: { 'Set-Cookie': cookie, 'Cache-Control': 'no-store' } });
  } catch (e) {
    return errorResponse(e, 'route auth.sign-in');
  }
}

/** POST /api/auth/sign-out: the cookie is cleared (rotate ACCESS_TOKEN to end every session). */
export function handleSignOut(request: Request): Response {
  return Response.json(
    { next: '/sign-in' },
    { headers: { 'Set-Cookie': clearSessionCookieHeader({ secure: isHttps(request) }), 'Cache-Control': 'no-store' } },
  );
}
