import 'server-only';
import { fail, type ActionResult } from '@/lib/schemas/result';
import { archiveSchema, renameSessionSchema, sessionFilterSchema, sessionNotesSchema, type SessionListItem } from '@/lib/schemas/history';
import type { Prisma } from '../generated/prisma/client';
import { db } from '../db/client';

/**
 * Session list with search and filters, newest first, cursor-paginated. Search covers the
 * title, the notes and every run's instruction; filters look into the runs' variations.
 */
export async function listSessions(raw: unknown = {}): Promise<{ sessions: SessionListItem[]; nextCursor: string | null }> {
  const f = sessionFilterSchema.parse(raw);
  const and: Prisma.SessionWhereInput[] = [];
  if (f.q) and.push({ OR: [{ title: { contains: f.q } }, { notes: { contains: f.q } }, { runs: { some: { deletedAt: null, instruction: { contains: f.q } } } }] });
  const variation: Prisma.VariationWhereInput = { deletedAt: null };
  if (f.provider) variation.provider = f.provider;
  if (f.status) variation.status = f.status;
  if (f.provider || f.status) and.push({ runs: { some: { deletedAt: null, variations: { some: variation } } } });
  if (f.starred) and.push({ runs: { some: { deletedAt: null, OR: [{ starred: true }, { variations: { some: { starred: true, deletedAt: null } } }] } } });
  const where: Prisma.SessionWhereInput = {
    deletedAt: f.view === 'trash' ? { not: null } : null,
    ...(f.view === 'archived' ? { archivedAt: { not: null } } : f.view === 'active' ? { archivedAt: null } : {}),
    AND: and,
  };
  const rows = await db().session.findMany({
    where,
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    take: f.limit + 1,
    ...(f.cursor ? { cursor: { id: f.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      title: true,
      notes: true,
      updatedAt: true,
      archivedAt: true,
      deletedAt: true,
      _count: { select: { runs: { where: { deletedAt: null } } } },
    },
  });
  const page = rows.slice(0, f.limit);
  return {
    sessions: page.map((s) => ({
      id: s.id,
      title: s.title,
      notes: s.notes,
      updatedAt: s.updatedAt.toISOString(),
      archived: s.archivedAt !== null,
      deletedAt: s.deletedAt?.toISOString() ?? null,
      runCount: s._count.runs,
    })),
    nextCursor: rows.length > f.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

type Ok = ActionResult<{ id: string }>;

async function updateSession(id: string, data: Prisma.SessionUpdateInput, whereExtra: Prisma.SessionWhereInput = { deletedAt: null }): Promise<Ok> {
  const { count } = await db().session.updateMany({ where: { id, ...whereExtra }, data });
  return count === 1 ? { ok: true, data: { id } } : fail('not_found', 'This session no longer exists.');
}

export async function renameSession(raw: unknown): Promise<Ok> {
  const p = renameSessionSchema.safeParse(raw);
  if (!p.success) return fail('invalid_input', p.error.issues[0]!.message);
  return updateSession(p.data.id, { title: p.data.title });
}

export async function setSessionNotes(raw: unknown): Promise<Ok> {
  const p = sessionNotesSchema.safeParse(raw);
  if (!p.success) return fail('invalid_input', p.error.issues[0]!.message);
  return updateSession(p.data.id, { notes: p.data.notes });
}

export async function archiveSession(raw: unknown): Promise<Ok> {
  const p = archiveSchema.safeParse(raw);
  if (!p.success) return fail('invalid_input', 'Which session?');
  return updateSession(p.data.id, { archivedAt: p.data.archived ? new Date() : null });
}
