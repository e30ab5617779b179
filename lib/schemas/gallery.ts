import { z } from 'zod';
import type { AssetDto } from './run';

/** Inputs of the designer's gallery actions, and the shapes the gallery pages read (client-safe). */

const id = z.string().min(1).max(64);
const title = z.string().trim().min(1, 'A gallery needs a title.').max(120, 'Keep the title under 120 characters.');
const description = z.string().trim().max(2000, 'Keep the description under 2,000 characters.');

/** A tray item (or any image): the asset, with the variation it came from when there is one. */
const selectionItem = z.object({ assetId: id, variationId: id.optional() });

/**
 * What goes into a gallery: variations (their output image is added) and/or images from the
 * compare tray. Order is kept: variations first, then items, each in the order given.
 */
const selection = {
  variationIds: z.array(id).max(500, 'Add at most 500 images at a time.').default([]),
  items: z.array(selectionItem).max(500, 'Add at most 500 images at a time.').default([]),
};

export const createGallerySchema = z.object({ title, description: description.default(''), ...selection });
export type CreateGalleryInput = z.input<typeof createGallerySchema>;

export const updateGallerySchema = z
  .object({ id, title: title.optional(), description: description.optional() })
  .refine((v) => v.title !== undefined || v.description !== undefined, 'Nothing to change.');

export const addGalleryItemsSchema = z
  .object({ galleryId: id, ...selection })
  .refine((v) => v.variationIds.length + v.items.length > 0, 'Pick at least one image to add.');
export type AddGalleryItemsInput = z.input<typeof addGalleryItemsSchema>;

export const removeGalleryItemSchema = z.object({ galleryId: id, itemId: id });

/** Undo of a removal: the same item back (its id keeps its verdicts) at the place it had. */
export const restoreGalleryItemSchema = z.object({
  galleryId: id,
  itemId: id,
  assetId: id,
  variationId: id.nullable(),
  caption: z.string().trim().max(500),
  position: z.number().int().min(0).max(100_000),
});

/** The gallery's full new order: every item id exactly once. */
export const reorderGallerySchema = z.object({
  galleryId: id,
  itemIds: z
    .array(id)
    .max(2000)
    .refine((ids) => new Set(ids).size === ids.length, 'Each item may appear only once in the new order.'),
});

export const captionGalleryItemSchema = z.object({
  galleryId: id,
  itemId: id,
  caption: z.string().trim().max(500, 'Keep the caption under 500 characters.'),
});

export const galleryIdSchema = z.object({ id });

export type Verdict = 'approve' | 'reject' | 'changes';

/** Counts of the latest verdict of each reviewer, plus every comment said. */
export type ReviewCounts = { approve: number; reject: number; changes: number; comments: number };

/** What a variation's badge shows: its review across every gallery it is in. */
export type VariationReview = ReviewCounts & { latest: { verdict: Verdict; reviewerName: string; at: string } | null };

export type GalleryListItem = {
  id: string;
  title: string;
  description: string;
  mode: string;
  itemCount: number;
  cover: AssetDto | null;
  review: ReviewCounts;
  updatedAt: string;
  createdAt: string;
};

export type ItemVerdict = { reviewerName: string; verdict: Verdict; comment: string; at: string };

export type GalleryItemDto = {
  id: string;
  position: number;
  caption: string;
  asset: AssetDto;
  /** Null for an image that is not a variation's output (an uploaded reference). */
  variation: {
    id: string;
    sessionId: string;
    runId: string;
    runNumber: number;
    instruction: string;
    provider: string;
    model: string;
    targetId: string;
    seed: number;
  } | null;
  /** The latest verdict of each reviewer, newest first. */
  verdicts: ItemVerdict[];
  review: ReviewCounts;
};

export type GalleryDto = {
  id: string;
  title: string;
  description: string;
  mode: string;
  seenAt: string | null;
  createdAt: string;
  updatedAt: string;
  items: GalleryItemDto[];
  review: ReviewCounts;
};

export type GalleryActivity = {
  id: string;
  kind: 'verdict' | 'comment' | 'vote';
  reviewerName: string;
  at: string;
  /** The item it is about (caption or "Item n"); null for the gallery as a whole. */
  itemLabel: string | null;
  verdict?: Verdict;
  text: string;
};

export type AddedToGallery = { galleryId: string; title: string; added: number; skipped: number };

/** One verdict or comment on a variation, with the gallery it was given in (the provenance page's "Reviews"). */
export type VariationReviewEntry = {
  id: string;
  galleryId: string;
  galleryTitle: string;
  kind: 'verdict' | 'comment';
  reviewerName: string;
  verdict?: Verdict;
  text: string;
  at: string;
};
