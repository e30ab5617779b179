import 'server-only';
import { createHash } from 'node:crypto';
import { db } from '../db/client';
import { AppError } from '../errors';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const IN_PROGRESS = 0;

export type StoredResult = { status: number; body: unknown };

/** The Idempotency-Key header, checked; undefined when the caller sent none. */
export function idempotencyKey(request: Request): string | undefined {
  const key = request.headers.get('idempotency-key');
  if (key === null) return undefined;
  if (!KEY_PATTERN.test(key)) throw new AppError('invalid_input', 'Idempotency-Key must be 1–255 visible ASCII characters.');
  return key;
}

export function requestHash(operation: string, body: Buffer | string): string {
  return createHash('sha256').update(operation).update('\0').update(body).digest('hex');
}

/**
 * Runs `create` once per (token, key). The key is claimed first by inserting its row (the
 * primary key makes a concurrent twin fail), so two racing requests never both create. A
 * repeat with the same request gets the first answer, status and body; a different request
 * under the same key is a 409, as is a repeat while the first is still running. A failure
 * releases the key: nothing was created, so trying again must be possible.
 */
export async function withIdempotency(
  tokenId: string,
  key: string | undefined,
  hash: string,
  create: () => Promise<StoredResult>,
): Promise<Response> {
  if (key === undefined) return toResponse(await create(), false);
  const where = { tokenId_key: { tokenId, key } };
  try {
    await db().apiIdempotency.create({ data: { tokenId, key, requestHash: hash, status: IN_PROGRESS } });
  } catch {
    const first = await db().apiIdempotency.findUnique({ where });
    if (!first) throw new AppError('conflict', 'That Idempotency-Key is being used by another request; try again.');
    if (first.requestHash !== hash) throw new AppError('conflict', 'That Idempotency-Key was already used with a different request.');
    if (first.status === IN_PROGRESS) throw new AppError('conflict', 'The first request with that Idempotency-Key is still being handled.');
    return toResponse({ status: first.status, body: JSON.parse(first.body) }, true);
  }
  let result: StoredResult;
  try {
    result = await create();
  } catch (e) {
    await db()
      .apiIdempotency.delete({ where })
      .catch(() => undefined);
    throw e;
  }
  await db().apiIdempotency.update({ where, data: { status: result.status, body: JSON.stringify(result.body) } });
  return toResponse(result, false);
}

function toResponse(result: StoredResult, replayed: boolean): Response {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (replayed) headers['Idempotent-Replayed'] = 'true';
  return Response.json(result.body, { status: result.status, headers });
}
