import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Credentials } from './config.mts';
import { CliError, EXIT } from './exit-codes.mts';

const RETRIES = 5;

export type Client = ReturnType<typeof createClient>;

/** A thin fetch wrapper: bearer auth, retries on 429/5xx/network, and HTTP status → exit code. */
export function createClient(creds: Credentials) {
  async function send(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<Response> {
    const url = `${creds.server}${path}`;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, { method, body: init.body, headers: { authorization: `Bearer ${creds.token}`, ...init.headers } });
      } catch (e) {
        if (attempt < RETRIES) {
          await sleep(backoff(attempt));
          continue;
        }
        throw new CliError(`Cannot reach ${creds.server}: ${(e as Error).cause ?? (e as Error).message}`, EXIT.unreachable);
      }
      if ((res.status === 429 || res.status >= 500) && attempt < RETRIES) {
        await res.body?.cancel();
        const after = Number(res.headers.get('retry-after'));
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 60) * 1000 : backoff(attempt));
        continue;
      }
      if (!res.ok) throw await errorFrom(res, method, path);
      return res;
    }
  }

  return {
    server: creds.server,
    async json<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
      const res = await send(method, path, {
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      });
      return (await res.json()) as T;
    },
    async form<T>(path: string, form: FormData, headers: Record<string, string> = {}): Promise<T> {
      return (await (await send('POST', path, { body: form, headers })).json()) as T;
    },
    /** Streams to `<file>.part`, then renames: a file under its final name is always whole. */
    async download(path: string, file: string): Promise<string | null> {
      const res = await send('GET', path);
      if (!res.body) throw new CliError(`Empty download: ${path}`, EXIT.server);
      const part = `${file}.part`;
      try {
        await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(part));
        await rename(part, file);
      } catch (e) {
        await rm(part, { force: true });
        throw e;
      }
      return res.headers.get('content-type');
    },
  };
}

async function errorFrom(res: Response, method: string, path: string): Promise<CliError> {
  let message = `${method} ${path}: HTTP ${res.status}`;
  try {
    const body = (await res.json()) as { error?: { message?: string; fields?: Record<string, string> } };
    if (body.error?.message) message = `${body.error.message}${fieldsText(body.error.fields)} (HTTP ${res.status})`;
  } catch {
    // Not JSON: the status says enough.
  }
  const code =
    res.status === 401 || res.status === 403
      ? EXIT.auth
      : res.status === 404
        ? EXIT.notFound
        : res.status >= 500
          ? EXIT.server
          : EXIT.usage;
  const err = new CliError(message, code);
  (err as CliError & { status: number }).status = res.status;
  return err;
}

function fieldsText(fields?: Record<string, string>): string {
  if (!fields) return '';
  return ` — ${Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ')}`;
}

export function httpStatus(e: unknown): number | undefined {
  return (e as { status?: number })?.status;
}

function backoff(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 8000);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
