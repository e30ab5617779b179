import 'server-only';
import type { TrashEntry } from '@/lib/schemas/history';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { env } from '../env';

/**
 * Everything soft-deleted, newest first: sessions, runs (of live sessions) and variations,
 * each with the date it is deleted for good (services/purge.ts).
 */
export async function listTrash(ctx: Ctx, limit = 100): Promise<TrashEntry[]> {
  const [sessions, runs, variations] = await Promise.all([
    db().session.findMany({
      where: { deletedAt: { not: null }, workspaceId: ctx.workspaceId },
      orderBy: { deletedAt: 'desc' },
      take: limit,
      select: { id: true, title: true, deletedAt: true },
    }),
    db().run.findMany({
      where: { deletedAt: { not: null }, session: { deletedAt: null, workspaceId: ctx.workspaceId } },
      orderBy: { deletedAt: 'desc' },
      take: limit,
      select: {
        id: true,
        instruction: true,
        deletedAt: true,
        sessionId: true,
        variations: { where: { outputAssetId: { not: null } }, take: 1, select: { outputAsset: { select: { sha256: true } } } },
      },
    }),
    db().variation.findMany({
      where: { deletedAt: { not: null }, run: { deletedAt: null, session: { deletedAt: null, workspaceId: ctx.workspaceId } } },
      orderBy: { deletedAt: 'desc' },
      take: limit,
      select: {
        id: true,
        index: true,
        seed: true,
        model: true,
        deletedAt: true,
        run: { select: { sessionId: true, instruction: true } },
        outputAsset: { select: { sha256: true } },
      },
    }),
  ]);
  const retentionMs = env().TRASH_RETENTION_DAYS * 86_400_000;
  const dates = (deletedAt: Date | null) => ({
    deletedAt: deletedAt!.toISOString(),
    purgeAt: new Date(deletedAt!.getTime() + retentionMs).toISOString(),
  });
  const entries: TrashEntry[] = [
    ...sessions.map((s) => ({
      kind: 'session' as const,
      id: s.id,
      label: s.title,
      sessionId: s.id,
      ...dates(s.deletedAt),
      thumbSha: null,
    })),
    ...runs.map((r) => ({
      kind: 'run' as const,
      id: r.id,
      label: r.instruction,
      sessionId: r.sessionId,
      ...dates(r.deletedAt),
      thumbSha: r.variations[0]?.outputAsset?.sha256 ?? null,
    })),
    ...variations.map((v) => ({
      kind: 'variation' as const,
      id: v.id,
      label: `Variation ${v.index + 1} · ${v.model} · seed ${v.seed} — ${v.run.instruction}`,
      sessionId: v.run.sessionId,
      ...dates(v.deletedAt),
      thumbSha: v.outputAsset?.sha256 ?? null,
    })),
  ];
  return entries.sort((a, b) => b.deletedAt.localeCompare(a.deletedAt)).slice(0, limit);
}
