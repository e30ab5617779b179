import 'server-only';
import { fail, type ActionResult } from '@/lib/schemas/result';
import { itemsSchema, noteSchema, ratingSchema, starSchema, type ItemKind } from '@/lib/schemas/history';
import { db } from '../db/client';

type Changed = ActionResult<{ count: number }>;
type Editable = { starred?: boolean; rating?: number | null; note?: string; deletedAt?: Date | null };

/**
 * One UPDATE over a selection of runs or variations (both carry star, rating, note and a
 * soft-delete stamp). `deleted` says whether the rows must currently be in the trash.
 */
async function update(kind: Exclude<ItemKind, 'session'>, ids: string[], deleted: boolean, data: Editable): Promise<number> {
  const where = { id: { in: ids }, deletedAt: deleted ? { not: null } : null };
  const { count } = kind === 'run' ? await db().run.updateMany({ where, data }) : await db().variation.updateMany({ where, data });
  return count;
}

function done(count: number, expected: number): Changed {
  if (count === 0) return fail('not_found', expected === 1 ? 'That item no longer exists.' : 'None of the selected items exist any more.');
  return { ok: true, data: { count } };
}

export async function setStarred(raw: unknown): Promise<Changed> {
  const p = starSchema.safeParse(raw);
  if (!p.success || p.data.kind === 'session') return fail('invalid_input', 'Star what?');
  return done(await update(p.data.kind, p.data.ids, false, { starred: p.data.starred }), p.data.ids.length);
}

export async function setRating(raw: unknown): Promise<Changed> {
  const p = ratingSchema.safeParse(raw);
  if (!p.success || p.data.kind === 'session') return fail('invalid_input', 'A rating is a whole number from 1 to 5.');
  return done(await update(p.data.kind, p.data.ids, false, { rating: p.data.rating }), p.data.ids.length);
}

export async function setNote(raw: unknown): Promise<Changed> {
  const p = noteSchema.safeParse(raw);
  if (!p.success) return fail('invalid_input', p.error.issues[0]?.message ?? 'Invalid note.');
  return done(await update(p.data.kind, [p.data.id], false, { note: p.data.note }), 1);
}

/** Soft delete: the rows stay, hidden, until restored from the undo toast or the Trash. */
export async function softDelete(raw: unknown): Promise<Changed> {
  const p = itemsSchema.safeParse(raw);
  if (!p.success) return fail('invalid_input', 'Delete what?');
  const now = new Date();
  if (p.data.kind === 'session') {
    const { count } = await db().session.updateMany({ where: { id: { in: p.data.ids }, deletedAt: null }, data: { deletedAt: now } });
    return done(count, p.data.ids.length);
  }
  return done(await update(p.data.kind, p.data.ids, false, { deletedAt: now }), p.data.ids.length);
}

export async function restore(raw: unknown): Promise<Changed> {
  const p = itemsSchema.safeParse(raw);
  if (!p.success) return fail('invalid_input', 'Restore what?');
  if (p.data.kind === 'session') {
    const { count } = await db().session.updateMany({ where: { id: { in: p.data.ids }, deletedAt: { not: null } }, data: { deletedAt: null } });
    return done(count, p.data.ids.length);
  }
  return done(await update(p.data.kind, p.data.ids, true, { deletedAt: null }), p.data.ids.length);
}
