import 'server-only';
import type { z } from 'zod';
import type { GridPage, gridQuerySchema } from '@/lib/schemas/history';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { variationDto } from './dto';
import { withReviews } from './galleries-reviews';
import { requireSession } from './sessions';

/**
 * Every live variation of a session as one flat list for the culling grid: newest run first,
 * keyset-paginated on the (runId, index) index, thumbnails only on the client.
 */
export async function listSessionVariations(ctx: Ctx, sessionId: string, q: z.output<typeof gridQuerySchema>): Promise<GridPage> {
  await requireSession(ctx, sessionId);
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
    items: await withReviews(
      ctx,
      page.map((v) => ({ ...variationDto(v), runId: v.runId, runNumber: v.run.number, instruction: v.run.instruction })),
    ),
  };
}
