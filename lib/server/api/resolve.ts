import 'server-only';
import { db } from '../db/client';
import type { Actor } from '../context';
import { AppError } from '../errors';
import { decodeScopes, parseToken, tokenMatches } from './tokens';

// lastUsedAt is written at most this often per token: a busy pipeline should not turn every
// read into a write.
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * A bearer token → its `token` actor. Malformed, unknown, wrong and revoked tokens all get the
 * same 401, so a caller learns nothing about which prefixes exist.
 */
export async function resolveBearer(token: string, now = new Date()): Promise<Extract<Actor, { kind: 'token' }>> {
  const refused = new AppError('unauthorized', 'The API token is not valid or has been revoked.');
  const parsed = parseToken(token);
  if (!parsed) throw refused;
  const row = await db().apiToken.findUnique({ where: { prefix: parsed.prefix } });
  if (!row || !tokenMatches(token, row.hash) || row.revokedAt) throw refused;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { kind: 'token', workspaceId: row.workspaceId, tokenId: row.id, scopes: decodeScopes(row.scopes) };
}
