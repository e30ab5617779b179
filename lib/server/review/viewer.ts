import 'server-only';
import { contextFor, type Ctx } from '../context';
import { db } from '../db/client';
import { AppError } from '../errors';
import { hashShareToken, isShareTokenShape, linkState, tokenMatches } from './tokens';

export type ShareResolution = { state: 'active'; ctx: Ctx; expiresAt: Date | null } | { state: 'revoked' | 'expired' | 'not_found' };

/** lastUsedAt is bookkeeping for the designer's list: written at most once a minute per link. */
const LAST_USED_GRANULARITY_MS = 60_000;

/**
 * The share link a token names, as a viewer context: only that gallery, and only while the
 * link is neither revoked nor expired and the gallery not deleted. A viewer context is never
 * derived from cookies or sessions, so the studio's own services (which refuse viewers) stay
 * out of reach whatever else the browser holds.
 */
export async function resolveShare(token: string, now = new Date()): Promise<ShareResolution> {
  if (!isShareTokenShape(token)) return { state: 'not_found' };
  const link = await db().shareLink.findUnique({
    where: { hash: hashShareToken(token) },
    include: { gallery: { select: { id: true, workspaceId: true, deletedAt: true } } },
  });
  if (!link || !tokenMatches(token, link.hash) || link.gallery.deletedAt) return { state: 'not_found' };
  const state = linkState(link, now);
  if (state !== 'active') return { state };
  if (!link.lastUsedAt || now.getTime() - link.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await db().shareLink.update({ where: { id: link.id }, data: { lastUsedAt: now } });
  }
  const ctx = contextFor({ kind: 'viewer', workspaceId: link.gallery.workspaceId, galleryId: link.galleryId, shareId: link.id });
  return { state: 'active', ctx, expiresAt: link.expiresAt };
}

/** For routes: the viewer context, or the refusal the state calls for (a plain 404 for an unknown token). */
export async function requireViewer(token: string): Promise<Ctx> {
  const r = await resolveShare(token);
  if (r.state === 'active') return r.ctx;
  if (r.state === 'revoked') throw new AppError('forbidden', 'This review link was revoked.');
  if (r.state === 'expired') throw new AppError('forbidden', 'This review link has expired.');
  throw new AppError('not_found', 'No such review link.');
}

/** The viewer actor of a context; anything else is refused (the review services serve viewers only). */
export function viewerOf(ctx: Ctx): { galleryId: string; shareId: string } {
  if (ctx.actor.kind !== 'viewer') throw new AppError('forbidden', 'Review pages are for share links.');
  return { galleryId: ctx.actor.galleryId, shareId: ctx.actor.shareId };
}

/**
 * Writes re-check the link inside the request that writes: a link revoked a moment ago refuses
 * the next verdict, even if the page was loaded before.
 */
export async function assertShareStillValid(ctx: Ctx, now = new Date()): Promise<void> {
  const { shareId } = viewerOf(ctx);
  const link = await db().shareLink.findUnique({
    where: { id: shareId },
    select: { revokedAt: true, expiresAt: true, gallery: { select: { deletedAt: true } } },
  });
  if (!link || link.gallery.deletedAt) throw new AppError('not_found', 'No such review link.');
  const state = linkState(link, now);
  if (state === 'revoked') throw new AppError('forbidden', 'This review link was revoked.');
  if (state === 'expired') throw new AppError('forbidden', 'This review link has expired.');
}
