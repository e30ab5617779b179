import 'server-only';
import { randomBytes } from 'node:crypto';
import { cache } from 'react';
import { bearerFrom } from './api/tokens';
import { resolveBearer } from './api/resolve';
import { AppError } from './errors';
import { accessRequired, perimeterConfig } from './perimeter/config';
import { SESSION_COOKIE, verifySessionValue } from './perimeter/session';

/** The workspace the migration creates: the studio's one owner until accounts exist. */
const LOCAL_WORKSPACE_ID = 'local';

export type TokenScope = 'read' | 'run' | 'admin';

/**
 * Who is asking. Today only the local owner exists; the pipelines issue adds API tokens and
 * the review issue share-link viewers. Every service receives the actor and scopes by its
 * workspace, so a new kind of caller is a new resolver, not new checks in every service.
 */
export type Actor =
  | { kind: 'owner'; workspaceId: string }
  | { kind: 'token'; workspaceId: string; tokenId: string; scopes: readonly TokenScope[] }
  | { kind: 'viewer'; workspaceId: string; galleryId: string; shareId: string };

export type Ctx = {
  readonly actor: Actor;
  /** Every query is scoped by this: rows of another workspace are "not found". */
  readonly workspaceId: string;
  /** Correlates the server log lines of one request. */
  readonly requestId: string;
};

export function contextFor(actor: Actor): Ctx {
  return { actor, workspaceId: actor.workspaceId, requestId: randomBytes(6).toString('hex') };
}

/** The context of work the server does for the owner by itself: the worker, scripts, tests. */
export function ownerContext(workspaceId = LOCAL_WORKSPACE_ID): Ctx {
  return contextFor({ kind: 'owner', workspaceId });
}

/**
 * Resolves the caller of this request once (React `cache`: one resolution per server request,
 * shared by the layout, the page and every action it runs). With no sign-in configured the
 * caller is the local owner (the perimeter keeps other machines out); with one, it is the
 * owner only when the session cookie verifies, checked here again so that no route or action
 * relies on the proxy's matcher alone.
 */
export const getContext = cache(async (): Promise<Ctx> => {
  // A bearer token (pipelines, /api/v1) is its own caller: never the owner, whatever cookie comes with it.
  const bearer = await requestBearer();
  if (bearer !== null) return contextFor(await resolveBearer(bearer));
  const config = perimeterConfig();
  if (!accessRequired(config)) return ownerContext();
  const { cookies } = await import('next/headers');
  const session = (await cookies()).get(SESSION_COOKIE)?.value;
  if (verifySessionValue(session, config.secrets)) return ownerContext();
  throw new AppError('unauthorized', 'Sign in to use the studio.');
});

/** The request's bearer token; none outside a request (scripts and tests calling actions directly). */
async function requestBearer(): Promise<string | null> {
  const { headers } = await import('next/headers');
  try {
    return bearerFrom((await headers()).get('authorization'));
  } catch (e) {
    // Next.js's own signals (dynamic rendering, postpone) must propagate; "outside a request" means no bearer.
    const { unstable_rethrow } = await import('next/navigation');
    unstable_rethrow(e);
    return null;
  }
}

/** True when the actor may change things (viewers and read-only tokens may not). */
export function canWrite(actor: Actor): boolean {
  if (actor.kind === 'owner') return true;
  if (actor.kind === 'token') return actor.scopes.includes('run') || actor.scopes.includes('admin');
  return false;
}
