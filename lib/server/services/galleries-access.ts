import 'server-only';
import { canWrite, type Ctx } from '../context';
import { db } from '../db/client';
import { AppError } from '../errors';

/**
 * The designer's gallery services are the owner's: a share-link viewer reads a gallery only
 * through the review services (lib/server/review), never through these, whatever id it sends.
 */
export function assertOwnerReads(ctx: Ctx): void {
  if (ctx.actor.kind === 'viewer') throw new AppError('forbidden', 'Galleries are managed in the studio.');
}

/** Writes also need an actor that may change things (a read-only API token may not). */
export function assertOwnerWrites(ctx: Ctx): void {
  assertOwnerReads(ctx);
  if (!canWrite(ctx.actor)) throw new AppError('forbidden', 'This caller may not change galleries.');
}

/** A live gallery of the caller's workspace; anything else is "not found". */
export async function requireGallery(ctx: Ctx, id: string) {
  const gallery = await db().gallery.findFirst({ where: { id, workspaceId: ctx.workspaceId, deletedAt: null } });
  if (!gallery) throw new AppError('not_found', 'That gallery does not exist, or was deleted.');
  return gallery;
}
