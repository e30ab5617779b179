import 'server-only';
import type { RunPage } from '@/lib/schemas/run';
import { db } from '../db/client';
import { newId } from '../ids';
import { runDto, runInclude } from './to-dto';

export const DEFAULT_SESSION_TITLE = 'Untitled session';

export async function getSession(id: string) {
  const s = await db().session.findFirst({ where: { id, deletedAt: null }, select: { id: true, title: true, notes: true, archivedAt: true } });
  return s ? { id: s.id, title: s.title, notes: s.notes, archived: s.archivedAt !== null } : null;
}

/** The visit's session: the most recent one, or a new one on a fresh install. */
export async function latestOrNewSession(): Promise<string> {
  const latest = await db().session.findFirst({ where: { deletedAt: null }, orderBy: { updatedAt: 'desc' }, select: { id: true } });
  if (latest) return latest.id;
  return createSession();
}

export async function createSession(title = DEFAULT_SESSION_TITLE): Promise<string> {
  const id = newId();
  await db().session.create({ data: { id, title } });
  return id;
}

export const RUNS_PAGE_SIZE = 20;

/** Newest first, cursor-paginated by run id (createdAt, id order is stable). */
export async function listRuns(sessionId: string, cursor?: string, limit = RUNS_PAGE_SIZE): Promise<RunPage> {
  const rows = await db().run.findMany({
    where: { sessionId, deletedAt: null },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    include: runInclude,
  });
  const page = rows.slice(0, limit);
  return { runs: page.map(runDto), nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
