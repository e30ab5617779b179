import 'server-only';
import type { z } from 'zod';
import type {
  AddedToGallery,
  addGalleryItemsSchema,
  captionGalleryItemSchema,
  createGallerySchema,
  galleryIdSchema,
  removeGalleryItemSchema,
  reorderGallerySchema,
  restoreGalleryItemSchema,
  updateGallerySchema,
} from '@/lib/schemas/gallery';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { AppError } from '../errors';
import { newId } from '../ids';
import { assertOwnerWrites, requireGallery } from './galleries-access';
import { resolveSelection, type Selection } from './galleries-selection';

export { getGallery, galleryActivity, listGalleries, verdictsForVariations } from './galleries-read';

/**
 * The designer's side of galleries: ordered images kept with the variation they came from.
 * Every write is scoped by the caller's workspace (another's gallery is "not found") and runs
 * as one batch transaction (never an interactive one: hardening Q4).
 */

const touch = (id: string) => db().gallery.update({ where: { id }, data: { updatedAt: new Date() } });

/** A new gallery, optionally filled from a selection (only finished images are taken). */
export async function createGallery(ctx: Ctx, input: z.output<typeof createGallerySchema>): Promise<AddedToGallery> {
  assertOwnerWrites(ctx);
  const { entries, skipped } = await resolveSelection(ctx, input);
  if (entries.length === 0 && skipped > 0) throw nothingToAdd(skipped);
  const id = newId();
  await db().$transaction([
    db().gallery.create({ data: { id, workspaceId: ctx.workspaceId, title: input.title, description: input.description } }),
    db().galleryItem.createMany({
      data: entries.map((e, position) => ({ id: newId(), galleryId: id, assetId: e.assetId, variationId: e.variationId, position })),
    }),
  ]);
  return { galleryId: id, title: input.title, added: entries.length, skipped };
}

/**
 * Appends a selection to a gallery. Idempotent per image: one already in the gallery is left
 * where it is (counted as skipped), so adding the same selection twice changes nothing.
 */
export async function addGalleryItems(ctx: Ctx, input: z.output<typeof addGalleryItemsSchema>): Promise<AddedToGallery> {
  assertOwnerWrites(ctx);
  const gallery = await requireGallery(ctx, input.galleryId);
  const { entries, skipped } = await resolveSelection(ctx, input as Selection);
  if (entries.length === 0) throw nothingToAdd(skipped);
  const existing = await db().galleryItem.findMany({ where: { galleryId: gallery.id }, select: { assetId: true, position: true } });
  const have = new Set(existing.map((e) => e.assetId));
  const fresh = entries.filter((e) => !have.has(e.assetId));
  const start = existing.reduce((max, e) => Math.max(max, e.position + 1), 0);
  if (fresh.length > 0) {
    await db().$transaction([
      db().galleryItem.createMany({
        data: fresh.map((e, n) => ({
          id: newId(),
          galleryId: gallery.id,
          assetId: e.assetId,
          variationId: e.variationId,
          position: start + n,
        })),
      }),
      touch(gallery.id),
    ]);
  }
  return { galleryId: gallery.id, title: gallery.title, added: fresh.length, skipped: skipped + entries.length - fresh.length };
}

function nothingToAdd(skipped: number): AppError {
  return new AppError(
    'invalid_input',
    skipped === 1 ? 'That image is not finished, or no longer exists.' : 'None of those images is finished, or they no longer exist.',
  );
}

/** Removes one item; the rest close up so positions stay 0..n-1. */
export async function removeGalleryItem(ctx: Ctx, input: z.output<typeof removeGalleryItemSchema>): Promise<{ count: number }> {
  assertOwnerWrites(ctx);
  const gallery = await requireGallery(ctx, input.galleryId);
  const items = await db().galleryItem.findMany({ where: { galleryId: gallery.id }, orderBy: [{ position: 'asc' }, { addedAt: 'asc' }] });
  if (!items.some((i) => i.id === input.itemId)) throw new AppError('not_found', 'That item is no longer in this gallery.');
  const rest = items.filter((i) => i.id !== input.itemId);
  await db().$transaction([db().galleryItem.delete({ where: { id: input.itemId } }), ...renumber(rest), touch(gallery.id)]);
  return { count: rest.length };
}

/**
 * Undoes a removal: the item comes back with its id (reviewers' verdicts and comments name it)
 * and caption, at its old place. The image is checked like any addition (still the caller's and
 * finished), and the id must be free and not named by another gallery's reviews.
 */
export async function restoreGalleryItem(ctx: Ctx, input: z.output<typeof restoreGalleryItemSchema>): Promise<{ count: number }> {
  assertOwnerWrites(ctx);
  const gallery = await requireGallery(ctx, input.galleryId);
  const { entries } = await resolveSelection(ctx, {
    variationIds: [],
    items: [{ assetId: input.assetId, variationId: input.variationId ?? undefined }],
  });
  const entry = entries[0];
  if (!entry) throw nothingToAdd(1);
  const [taken, foreign, items] = await Promise.all([
    db().galleryItem.findUnique({ where: { id: input.itemId }, select: { galleryId: true } }),
    Promise.all([
      db().reviewVerdict.findFirst({ where: { itemId: input.itemId, galleryId: { not: gallery.id } }, select: { id: true } }),
      db().reviewComment.findFirst({ where: { itemId: input.itemId, galleryId: { not: gallery.id } }, select: { id: true } }),
    ]).then((rows) => rows.some(Boolean)),
    db().galleryItem.findMany({ where: { galleryId: gallery.id }, orderBy: [{ position: 'asc' }, { addedAt: 'asc' }] }),
  ]);
  if (taken?.galleryId === gallery.id) return { count: items.length };
  if (taken || foreign) throw new AppError('conflict', 'That item cannot be put back; add the image again instead.');
  if (items.some((i) => i.assetId === entry.assetId)) throw new AppError('conflict', 'That image is already back in this gallery.');
  const at = Math.min(input.position, items.length);
  const shifted = items.flatMap((item, n) => {
    const position = n < at ? n : n + 1;
    return item.position === position ? [] : [db().galleryItem.update({ where: { id: item.id }, data: { position } })];
  });
  await db().$transaction([
    ...shifted,
    db().galleryItem.create({
      data: {
        id: input.itemId,
        galleryId: gallery.id,
        assetId: entry.assetId,
        variationId: entry.variationId,
        position: at,
        caption: input.caption,
      },
    }),
    touch(gallery.id),
  ]);
  return { count: items.length + 1 };
}

/** Sets the whole order at once: the ids must be exactly the gallery's items, each once. */
export async function reorderGallery(ctx: Ctx, input: z.output<typeof reorderGallerySchema>): Promise<{ count: number }> {
  assertOwnerWrites(ctx);
  const gallery = await requireGallery(ctx, input.galleryId);
  const items = await db().galleryItem.findMany({ where: { galleryId: gallery.id }, select: { id: true, position: true } });
  const known = new Set(items.map((i) => i.id));
  if (input.itemIds.length !== items.length || !input.itemIds.every((id) => known.has(id))) {
    throw new AppError('invalid_input', 'The new order must list every item of this gallery once: reload it and try again.', {
      fields: { itemIds: `Expected the ${items.length} items of this gallery, each once.` },
    });
  }
  const byId = new Map(items.map((i) => [i.id, i]));
  await db().$transaction([...renumber(input.itemIds.map((id) => byId.get(id)!)), touch(gallery.id)]);
  return { count: items.length };
}

/** Updates of the rows whose position differs from their index in `ordered`. */
function renumber(ordered: { id: string; position: number }[]) {
  return ordered.flatMap((item, position) =>
    item.position === position ? [] : [db().galleryItem.update({ where: { id: item.id }, data: { position } })],
  );
}

export async function captionGalleryItem(ctx: Ctx, input: z.output<typeof captionGalleryItemSchema>): Promise<{ caption: string }> {
  assertOwnerWrites(ctx);
  const gallery = await requireGallery(ctx, input.galleryId);
  const { count } = await db().galleryItem.updateMany({
    where: { id: input.itemId, galleryId: gallery.id },
    data: { caption: input.caption },
  });
  if (count === 0) throw new AppError('not_found', 'That item is no longer in this gallery.');
  await touch(gallery.id);
  return { caption: input.caption };
}

export async function updateGallery(
  ctx: Ctx,
  input: z.output<typeof updateGallerySchema>,
): Promise<{ title: string; description: string }> {
  assertOwnerWrites(ctx);
  await requireGallery(ctx, input.id);
  const g = await db().gallery.update({
    where: { id: input.id },
    data: {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description }),
    },
  });
  return { title: g.title, description: g.description };
}

/** Soft delete: the gallery leaves the lists (and its links stop working) until restored. */
export async function deleteGallery(ctx: Ctx, input: z.output<typeof galleryIdSchema>): Promise<{ id: string }> {
  assertOwnerWrites(ctx);
  await requireGallery(ctx, input.id);
  await db().gallery.update({ where: { id: input.id }, data: { deletedAt: new Date() } });
  return { id: input.id };
}

/** Undo of a delete. */
export async function restoreGallery(ctx: Ctx, input: z.output<typeof galleryIdSchema>): Promise<{ id: string }> {
  assertOwnerWrites(ctx);
  const { count } = await db().gallery.updateMany({
    where: { id: input.id, workspaceId: ctx.workspaceId, deletedAt: { not: null } },
    data: { deletedAt: null },
  });
  if (count === 0) throw new AppError('not_found', 'That gallery cannot be restored.');
  return { id: input.id };
}

/**
 * The designer has looked at the gallery: activity after this is no longer "new". Keeps
 * `updatedAt`, so opening a gallery does not move it up the list of recent ones.
 */
export async function markGallerySeen(ctx: Ctx, input: z.output<typeof galleryIdSchema>): Promise<{ seenAt: string }> {
  assertOwnerWrites(ctx);
  const gallery = await requireGallery(ctx, input.id);
  const seenAt = new Date();
  await db().gallery.update({ where: { id: gallery.id }, data: { seenAt, updatedAt: gallery.updatedAt } });
  return { seenAt: seenAt.toISOString() };
}
