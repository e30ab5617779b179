import 'server-only';
import { z } from 'zod';
import {
  type archiveSchema,
  type renameSessionSchema,
  sessionFilterSchema,
  type sessionNotesSchema,
  type SessionFilter,
  type SessionListItem,
} from '@/lib/schemas/history';
import type { Prisma } from '../generated/prisma/client';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { containsText } from '../db/dialect';
import { AppError } from '../errors';
import { newId } from '../ids';
import { inWorkspace } from './scope';

export const DEFAULT_SESSION_TITLE = 'Untitled session';

export type SessionSummary = { id: string; title: string; notes: string; archived: boolean };

/** A live session of the caller's workspace, or null (another workspace's id is "not found"). */
export async function getSession(ctx: Ctx, id: string): Promise<SessionSummary | null> {
  const s = await db().session.findFirst({
    where: { id, deletedAt: null, ...inWorkspace.session(ctx) },
    select: { id: true, title: true, notes: true, archivedAt: true },
  });
  return s ? { id: s.id, title: s.title, notes: s.notes, archived: s.archivedAt !== null } : null;
}

export async function requireSession(ctx: Ctx, id: string): Promise<SessionSummary> {
  const s = await getSession(ctx, id);
  if (!s) throw new AppError('not_found', 'This session no longer exists.');
  return s;
}

/** The visit's session: the most recent one, or a new one on a fresh install. */
export async function latestOrNewSession(ctx: Ctx): Promise<string> {
  const latest = await db().session.findFirst({
    where: { deletedAt: null, ...inWorkspace.session(ctx) },
    orderBy: { updatedAt: 'desc' },
    select: { id: true },
  });
  return latest?.id ?? createSession(ctx, {});
}

export const createSessionSchema = z.object({ title: z.string().trim().min(1).max(120).optional() });

export async function createSession(ctx: Ctx, input: z.input<typeof createSessionSchema>): Promise<string> {
  const id = newId();
  await db().session.create({ data: { id, title: input.title ?? DEFAULT_SESSION_TITLE, workspaceId: ctx.workspaceId } });
  return id;
}

/**
 * Session list with search and filters, newest first, cursor-paginated. Search covers the
 * title, the notes and every run's instruction; filters look into the runs' variations.
 */
export async function listSessions(
  ctx: Ctx,
  filter: SessionFilter = {},
): Promise<{ sessions: SessionListItem[]; nextCursor: string | null }> {
  const f = sessionFilterSchema.parse(filter);
  const and: Prisma.SessionWhereInput[] = [inWorkspace.session(ctx)];
  if (f.q)
    and.push({
      OR: [
        { title: containsText(f.q) },
        { notes: containsText(f.q) },
        { runs: { some: { deletedAt: null, instruction: containsText(f.q) } } },
      ],
    });
  const variation: Prisma.VariationWhereInput = { deletedAt: null };
  if (f.provider) variation.provider = f.provider;
  if (f.status) variation.status = f.status;
  if (f.provider || f.status) and.push({ runs: { some: { deletedAt: null, variations: { some: variation } } } });
  if (f.starred)
    and.push({
      runs: { some: { deletedAt: null, OR: [{ starred: true }, { variations: { some: { starred: true, deletedAt: null } } }] } },
    });
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

async function updateSession(ctx: Ctx, id: string, data: Prisma.SessionUpdateManyMutationInput): Promise<{ id: string }> {
  const { count } = await db().session.updateMany({ where: { id, deletedAt: null, ...inWorkspace.session(ctx) }, data });
  if (count !== 1) throw new AppError('not_found', 'This session no longer exists.');
  return { id };
}

export function renameSession(ctx: Ctx, input: z.output<typeof renameSessionSchema>) {
  return updateSession(ctx, input.id, { title: input.title });
}

export function setSessionNotes(ctx: Ctx, input: z.output<typeof sessionNotesSchema>) {
  return updateSession(ctx, input.id, { notes: input.notes });
}

export function archiveSession(ctx: Ctx, input: z.output<typeof archiveSchema>) {
  return updateSession(ctx, input.id, { archivedAt: input.archived ? new Date() : null });
}
