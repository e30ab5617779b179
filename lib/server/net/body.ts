import 'server-only';
import type { IncomingMessage } from 'node:http';
import { addAbortSignal, pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { ProviderError } from '../providers/errors';

const MiB = 1024 * 1024;

function failure(message: string, httpStatus?: number): ProviderError {
  // The answer arrived: the request was sent.
  return new ProviderError({ code: 'provider_error', message, sent: true, httpStatus });
}

/**
 * Reads an answer's body, decompressed, counting as it streams: past `limit` it fails (`cut`
 * false) or keeps what it has (`cut` true, for error bodies read only for their message).
 */
export async function readBody(
  res: IncomingMessage,
  method: string,
  limit: number,
  cut: boolean,
  signal: AbortSignal,
  url: URL,
): Promise<Buffer> {
  if (method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304) {
    res.destroy();
    return Buffer.alloc(0);
  }
  const encoding = String(res.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  const tooLarge = () =>
    failure(`The answer from ${url.host} is larger than ${Math.round(limit / MiB)} MB; not read further.`, res.statusCode);
  if (!cut && encoding === 'identity' && Number(res.headers['content-length'] ?? 0) > limit) {
    res.destroy();
    throw tooLarge();
  }
  const decoder = decoderFor(encoding);
  if (decoder === null) {
    res.destroy();
    throw failure(`${url.host} answered with an unsupported content-encoding (${encoding.slice(0, 40)}).`, res.statusCode);
  }
  const stream: Readable = decoder ? pipeline(res, decoder, () => {}) : res;
  addAbortSignal(signal, stream);
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit) {
        if (!cut) throw tooLarge();
        chunks.push(chunk.subarray(0, chunk.length - (total - limit)));
        break;
      }
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
    res.destroy();
  }
  return Buffer.concat(chunks);
}

/** A decompressor (capped by the caller on its output, so a gzip bomb stops at the cap), none, or null when unknown. */
function decoderFor(encoding: string): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined | null {
  // Lenient on a truncated end, as browsers and fetch are.
  const flush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  if (encoding === 'identity' || encoding === '') return undefined;
  if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.createGunzip(flush);
  if (encoding === 'deflate') return zlib.createInflate(flush);
  if (encoding === 'br') return zlib.createBrotliDecompress();
  return null;
}

export function toHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}
