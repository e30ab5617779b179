import 'server-only';
import { z } from 'zod';
import type { VariationDto } from '@/lib/schemas/run';
import { db } from '../db/client';
import { variationDto } from '../queries/to-dto';

export type GridItem = VariationDto & { runId: string; runNumber: number; instruction: string };
export type GridPage = { items: GridItem[]; nextCursor: string | null; total: number };

export const gridQuerySchema = z.object({ cursor: z.string().min(1).max(64).optional(), limit: z.coerce.number().int().min(1).max(300).default(120) });

/**
 * Every live variation of a session as one flat list for the culling grid: newest run first,
 * keyset-paginated on the (runId, index) index, thumbnails only on the client.
 */
export async function listSessionVariations(sessionId: string, raw: unknown = {}): Promise<GridPage> {
  const q = gridQuerySchema.parse(raw);
  const where = { deletedAt: null, run: { sessionId, deletedAt: null } };
  const [total, rows] = await Promise.all([
    db().variation.count({ where }),
    db().variation.findMany({
      where,
      orderBy: [{ run: { number: 'desc' } }, { targetId: 'asc' }, { index: 'asc' }, { id: 'asc' }],
      take: q.limit + 1,
      ...(q.cursor ? { cursor: { id: q.cursor }, skip: 1 } : {}),
      include: { outputAsset: true, run: { select: { number: true, instruction: true } } },
    }),
  ]);
  const page = rows.slice(0, q.limit);
  return {
    total,
    nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
    items: page.map((v) => ({ ...variationDto(v), runId: v.runId, runNumber: v.run.number, instruction: v.run.instruction })),
  };
}
