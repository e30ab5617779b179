import 'server-only';
import type { z } from 'zod';
import type { ItemKind, itemsSchema, noteSchema, ratingSchema, starSchema } from '@/lib/schemas/history';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { AppError } from '../errors';
import { notifyItemsChanged } from '../events/notify';
import type { Prisma } from '../generated/prisma/client';
import { inWorkspace } from './scope';
import { cancelUnfinished } from './variations';

type Editable = { starred?: boolean; rating?: number | null; note?: string; deletedAt?: Date | null };
type Changed = { count: number };

/**
 * One UPDATE over a selection of runs or variations of the caller's workspace (both carry
 * star, rating, note and a soft-delete stamp). `deleted` says whether the rows must currently
 * be in the trash.
 */
async function update(ctx: Ctx, kind: ItemKind, ids: string[], deleted: boolean, data: Editable): Promise<number> {
  const deletedAt = deleted ? { not: null } : null;
  if (kind === 'session') {
    const { count } = await db().session.updateMany({ where: { id: { in: ids }, deletedAt, ...inWorkspace.session(ctx) }, data });
    return count;
  }
  if (kind === 'run') {
    const { count } = await db().run.updateMany({ where: { id: { in: ids }, deletedAt, ...inWorkspace.run(ctx) }, data });
    return count;
  }
  const { count } = await db().variation.updateMany({ where: { id: { in: ids }, deletedAt, ...inWorkspace.variation(ctx) }, data });
  return count;
}

function done(count: number, expected: number): Changed {
  if (count === 0)
    throw new AppError('not_found', expected === 1 ? 'That item no longer exists.' : 'None of the selected items exist any more.');
  return { count };
}

function noSessions(kind: ItemKind, what: string): asserts kind is 'run' | 'variation' {
  if (kind === 'session')
    throw new AppError('invalid_input', `Sessions cannot be ${what}.`, { fields: { kind: 'Runs or variations only.' } });
}

export async function setStarred(ctx: Ctx, input: z.output<typeof starSchema>): Promise<Changed> {
  noSessions(input.kind, 'starred');
  return done(await update(ctx, input.kind, input.ids, false, { starred: input.starred }), input.ids.length);
}

export async function setRating(ctx: Ctx, input: z.output<typeof ratingSchema>): Promise<Changed> {
  noSessions(input.kind, 'rated');
  return done(await update(ctx, input.kind, input.ids, false, { rating: input.rating }), input.ids.length);
}

export async function setNote(ctx: Ctx, input: z.output<typeof noteSchema>): Promise<Changed> {
  return done(await update(ctx, input.kind, [input.id], false, { note: input.note }), 1);
}

/**
 * Soft delete: the rows stay, hidden, until restored from the undo toast or the Trash. Work
 * still queued or running under them is cancelled (at the vendor too, where it allows it): a
 * restore brings the history back, not a bill for images nobody will look at. The delete is
 * written first, so no worker claims or submits any of it from then on.
 */
export async function softDelete(ctx: Ctx, input: z.output<typeof itemsSchema>): Promise<Changed> {
  const result = done(await update(ctx, input.kind, input.ids, false, { deletedAt: new Date() }), input.ids.length);
  void notifyItemsChanged(input.kind, input.ids);
  const under: Record<ItemKind, Prisma.VariationWhereInput> = {
    session: { run: { sessionId: { in: input.ids } } },
    run: { runId: { in: input.ids } },
    variation: { id: { in: input.ids } },
  };
  const message = input.kind === 'variation' ? 'Cancelled: deleted.' : `Cancelled: its ${input.kind} was deleted.`;
  await cancelUnfinished({ AND: [under[input.kind], inWorkspace.variation(ctx)] }, message);
  return result;
}

export async function restore(ctx: Ctx, input: z.output<typeof itemsSchema>): Promise<Changed> {
  const result = done(await update(ctx, input.kind, input.ids, true, { deletedAt: null }), input.ids.length);
  void notifyItemsChanged(input.kind, input.ids);
  return result;
}
