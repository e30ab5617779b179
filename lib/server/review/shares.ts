import 'server-only';
import type { z } from 'zod';
import type { CreatedShareDto, createShareSchema, galleryRefSchema, revokeShareSchema, ShareLinkDto } from '@/lib/schemas/review';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { env } from '../env';
import { notFound } from '../errors';
import { newId } from '../ids';
import { assertOwnerReads, assertOwnerWrites, requireGallery } from '../services/galleries-access';
import { expiryFrom, generateShareToken, linkState } from './tokens';

type Row = { id: string; createdAt: Date; expiresAt: Date | null; revokedAt: Date | null; lastUsedAt: Date | null };

function toDto(row: Row, now = new Date()): ShareLinkDto {
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    state: linkState(row, now),
  };
}

/**
 * The review page of a token: under PUBLIC_BASE_URL when set (the address reviewers on other
 * devices reach), else relative to this site (the panel prefixes the origin it was opened at,
 * often 127.0.0.1, which only this machine can open: the panel says so).
 */
export function reviewUrl(token: string): string {
  return `${env().PUBLIC_BASE_URL ?? ''}/r/${token}`;
}

export async function listShares(ctx: Ctx, input: z.output<typeof galleryRefSchema>): Promise<ShareLinkDto[]> {
  assertOwnerReads(ctx);
  await requireGallery(ctx, input.galleryId);
  const rows = await db().shareLink.findMany({ where: { galleryId: input.galleryId }, orderBy: { createdAt: 'desc' } });
  return rows.map((r) => toDto(r));
}

/** A new link; older links stay as they are ("make a new one" does not revoke the others by itself). */
export async function createShare(ctx: Ctx, input: z.output<typeof createShareSchema>): Promise<CreatedShareDto> {
  assertOwnerWrites(ctx);
  await requireGallery(ctx, input.galleryId);
  const { token, hash } = generateShareToken();
  const row = await db().shareLink.create({
    data: { id: newId(), galleryId: input.galleryId, hash, expiresAt: expiryFrom(input.expiresIn) },
  });
  return { link: toDto(row), url: reviewUrl(token) };
}

export async function revokeShare(ctx: Ctx, input: z.output<typeof revokeShareSchema>): Promise<ShareLinkDto> {
  assertOwnerWrites(ctx);
  const row = await db().shareLink.findFirst({
    where: { id: input.shareId, gallery: { workspaceId: ctx.workspaceId, deletedAt: null } },
  });
  if (!row) throw notFound('That review link does not exist.');
  if (row.revokedAt) return toDto(row);
  return toDto(await db().shareLink.update({ where: { id: row.id }, data: { revokedAt: new Date() } }));
}
