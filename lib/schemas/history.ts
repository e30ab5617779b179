import { z } from 'zod';
import type { VariationDto } from './run';

/** Inputs of the history edits, shared by the optimistic client and the server actions. */
const id = z.string().min(1).max(64);

const itemKindSchema = z.enum(['session', 'run', 'variation']);
export type ItemKind = z.infer<typeof itemKindSchema>;

export const renameSessionSchema = z.object({
  id,
  title: z.string().trim().min(1, 'A session needs a name.').max(120, 'Keep the name under 120 characters.'),
});
export const sessionNotesSchema = z.object({ id, notes: z.string().max(5000, 'Notes are limited to 5,000 characters.') });
export const archiveSchema = z.object({ id, archived: z.boolean() });
export const itemsSchema = z.object({ kind: itemKindSchema, ids: z.array(id).min(1).max(500) });
export const starSchema = itemsSchema.extend({ starred: z.boolean() });
export const ratingSchema = itemsSchema.extend({ rating: z.int().min(1).max(5).nullable() });
export const noteSchema = z.object({
  kind: z.enum(['run', 'variation']),
  id,
  note: z.string().max(5000, 'Notes are limited to 5,000 characters.'),
});
export const trayAddSchema = z.object({
  items: z
    .array(z.object({ assetId: id, variationId: id.optional() }))
    .min(1)
    .max(200),
});

const SESSION_VIEWS = ['active', 'archived', 'trash'] as const;
export const sessionFilterSchema = z.object({
  q: z.string().trim().max(200).optional(),
  provider: z.string().max(40).optional(),
  status: z.enum(['queued', 'submitting', 'running', 'succeeded', 'failed', 'cancelled']).optional(),
  starred: z.coerce.boolean().optional(),
  view: z.enum(SESSION_VIEWS).default('active'),
  cursor: id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(40),
});
export type SessionFilter = z.input<typeof sessionFilterSchema>;

export type SessionListItem = {
  id: string;
  title: string;
  notes: string;
  updatedAt: string;
  archived: boolean;
  deletedAt: string | null;
  runCount: number;
};

export type TrashEntry = {
  kind: ItemKind;
  id: string;
  label: string;
  sessionId: string;
  deletedAt: string;
  /** When the Trash's retention period ends and the item is deleted for good. */
  purgeAt: string;
  thumbSha: string | null;
};

/** One cell of the culling grid: a variation with the run facts the grid labels show. */
export type GridItem = VariationDto & { runId: string; runNumber: number; instruction: string };
export type GridPage = { items: GridItem[]; nextCursor: string | null; total: number };
export const gridQuerySchema = z.object({ cursor: id.optional(), limit: z.coerce.number().int().min(1).max(300).default(120) });
