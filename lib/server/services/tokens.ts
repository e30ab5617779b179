import 'server-only';
import type { z } from 'zod';
import type { createTokenSchema, CreatedToken, revokeTokenSchema, TokenSummary } from '@/lib/schemas/api';
import { decodeScopes, generateToken, generateWebhookSecret } from '../api/tokens';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { AppError, notFound } from '../errors';
import { newId } from '../ids';

type Row = { id: string; name: string; prefix: string; scopes: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

function summary(row: Row): TokenSummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: decodeScopes(row.scopes),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** Only the owner, or a token with the admin scope, manages tokens: a run token cannot mint itself more. */
function requireTokenAdmin(ctx: Ctx): void {
  if (ctx.actor.kind === 'owner') return;
  if (ctx.actor.kind === 'token' && ctx.actor.scopes.includes('admin')) return;
  throw new AppError('forbidden', 'Managing API tokens needs the admin scope.');
}

export async function listTokens(ctx: Ctx): Promise<TokenSummary[]> {
  requireTokenAdmin(ctx);
  const rows = await db().apiToken.findMany({ where: { workspaceId: ctx.workspaceId }, orderBy: { createdAt: 'desc' } });
  return rows.map(summary);
}

export async function createToken(ctx: Ctx, input: z.output<typeof createTokenSchema>): Promise<CreatedToken> {
  requireTokenAdmin(ctx);
  const { token, prefix, hash } = generateToken();
  const webhookSecret = generateWebhookSecret();
  const row = await db().apiToken.create({
    data: {
      id: newId(),
      workspaceId: ctx.workspaceId,
      name: input.name,
      prefix,
      hash,
      scopes: JSON.stringify([...new Set(input.scopes)]),
      webhookSecret,
    },
  });
  return { summary: summary(row), token, webhookSecret };
}

export async function revokeToken(ctx: Ctx, input: z.output<typeof revokeTokenSchema>): Promise<TokenSummary> {
  requireTokenAdmin(ctx);
  const row = await db().apiToken.findFirst({ where: { id: input.tokenId, workspaceId: ctx.workspaceId } });
  if (!row) throw notFound('That token does not exist.');
  if (row.revokedAt) return summary(row);
  return summary(await db().apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } }));
}
