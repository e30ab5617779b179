import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Client, httpStatus } from './client.mts';

/** The parts of /api/v1's shapes the CLI reads (lib/schemas/api.ts is the source). */
export type ApiVariation = {
  id: string;
  targetId: string;
  seed: number;
  status: 'queued' | 'submitting' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  errorMessage?: string | null;
  costUsd: number | null;
  finishedAt?: string | null;
  output?: { mime: string } | null;
  outputUrl: string | null;
};
export type ApiRun = { id: string; sessionId: string; finished: boolean; variations: ApiVariation[] };
export type RunOptions = {
  instruction: string;
  negativePrompt?: string;
  targets: string[];
  count: number;
  seed?: number;
  size?: string;
  format?: 'png' | 'jpeg';
};

export const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A stable key for a request: the same inputs and options always name the same server object. */
export function idempotencyKeyFor(kind: string, parts: unknown): string {
  return `proofsheet-cli-${kind}-${sha256(JSON.stringify(parts))}`;
}

const MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' };
export const IMAGE_EXTENSIONS = new Set(Object.keys(MIME));

/** Uploads an image under Idempotency-Key = its sha256, so a repeat returns the same asset. */
export async function uploadImage(client: Client, file: string, bytes?: Buffer): Promise<{ id: string; sha256: string }> {
  const data = bytes ?? (await readFile(file));
  const sha = sha256(data);
  const form = () => {
    const f = new FormData();
    f.append(
      'file',
      new Blob([new Uint8Array(data)], { type: MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream' }),
      path.basename(file),
    );
    return f;
  };
  try {
    const res = await client.form<{ asset: { id: string } }>('/api/v1/uploads', form(), { 'idempotency-key': sha });
    return { id: res.asset.id, sha256: sha };
  } catch (e) {
    // The same bytes uploaded earlier under another file name: the key is taken, upload plainly.
    if (httpStatus(e) !== 409) throw e;
    const res = await client.form<{ asset: { id: string } }>('/api/v1/uploads', form());
    return { id: res.asset.id, sha256: sha };
  }
}

export function runBody(referenceIds: string[], o: RunOptions) {
  const parameters = { seed: o.seed, size: o.size, format: o.format };
  return {
    referenceIds,
    instruction: o.instruction,
    negativePrompt: o.negativePrompt,
    targets: o.targets,
    count: o.count,
    parameters: Object.values(parameters).some((v) => v !== undefined) ? parameters : undefined,
  };
}

/** `<stem>-<target>-<seed>.<ext>`, safe on every file system. */
export function outputName(stem: string, v: ApiVariation, index: number, contentType?: string | null): string {
  const mime = v.output?.mime ?? contentType ?? 'image/png';
  const ext = mime.includes('jpeg') ? 'jpg' : mime.includes('webp') ? 'webp' : 'png';
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  // Two variations of one target can share a seed only by chance; the index keeps names unique.
  return `${safe(stem)}-${safe(v.targetId)}-${v.seed}${index > 0 ? `-${index}` : ''}.${ext}`;
}
