import 'server-only';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { MAX_UPLOAD_BYTES } from '@/lib/schemas/limits';
import { AppError } from '../errors';
import { displayName } from './display-name';

export type ReceivedFile = {
  /** As sent; pass through displayName before showing it. */
  name: string;
  /** The part's Content-Type, as declared by the client (never trusted for the format). */
  declaredType: string;
  bytes: Buffer;
};

export type MultipartLimits = {
  fileBytes: number;
  /** Non-file fields accepted (the studio sends none; a few are tolerated). */
  fields: number;
  fieldBytes: number;
};

const UPLOAD_FORM_LIMITS: MultipartLimits = { fileBytes: MAX_UPLOAD_BYTES, fields: 10, fieldBytes: 1024 };

/** Boundaries and part headers of a one-file form; a body longer than file + this is refused unread. */
const FORM_OVERHEAD = 64 * 1024;
const MB = 1024 * 1024;
const NOT_A_FORM = 'Expected a multipart form with one file in the field “file”.';

/**
 * Reads a multipart/form-data body as a stream and returns its one file, never holding more
 * than `fileBytes` of it: the size rule is enforced on the bytes read, whatever Content-Length
 * says (a chunked body has none). A refusal is answered at once; the rest of the body is then
 * discarded up to a cap and cut off (see discardBody), so a 1 GB body is refused after ~10 MB.
 * Returns null when the form has no file part.
 */
export function readSingleFile(request: Request, limits: MultipartLimits = UPLOAD_FORM_LIMITS): Promise<ReceivedFile | null> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  const refuse = (error: AppError) => {
    discardBody(request);
    return Promise.reject(error);
  };
  if (Number.isFinite(declared) && declared > limits.fileBytes + FORM_OVERHEAD) return refuse(tooLarge(null, limits));
  const contentType = request.headers.get('content-type') ?? '';
  if (!request.body || !/^multipart\/form-data\b/i.test(contentType)) return refuse(new AppError('invalid_input', NOT_A_FORM));

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      // Browsers send UTF-8 names; busboy's default (latin1) would garble them.
      defParamCharset: 'utf8',
      limits: {
        files: 1,
        fileSize: limits.fileBytes,
        fields: limits.fields,
        fieldSize: limits.fieldBytes,
        parts: limits.fields + 1,
        headerPairs: 20,
      },
    });
  } catch {
    return refuse(new AppError('invalid_input', NOT_A_FORM));
  }
  // Pulls from the web stream only as busboy consumes: nothing is read ahead of the parser.
  const source = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>, { highWaterMark: 64 * 1024 });

  return new Promise<ReceivedFile | null>((resolve, reject) => {
    let received: ReceivedFile | null = null;
    let settled = false;
    const settle = (error: AppError | null) => {
      if (settled) return;
      settled = true;
      if (!error) return resolve(received);
      source.unpipe(parser);
      parser.removeAllListeners('close');
      drainThenCut(source);
      reject(error);
    };

    parser.on('file', (field, stream, info) => {
      if (field !== 'file') {
        stream.resume();
        return settle(new AppError('invalid_input', NOT_A_FORM));
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!settled) chunks.push(chunk);
      });
      stream.on('limit', () => {
        chunks.length = 0;
        settle(tooLarge(info.filename, limits));
      });
      stream.on('end', () => {
        if (settled || stream.truncated) return;
        received = { name: info.filename ?? '', declaredType: info.mimeType, bytes: Buffer.concat(chunks) };
      });
    });
    parser.on('field', () => {});
    parser.on('filesLimit', () =>
      settle(new AppError('invalid_input', 'Send one file per upload.', { fields: { file: 'One file per upload.' } })),
    );
    parser.on('fieldsLimit', () => settle(new AppError('invalid_input', 'The form has too many fields.')));
    parser.on('partsLimit', () => settle(new AppError('invalid_input', 'The form has too many fields.')));
    parser.on('error', () => settle(new AppError('invalid_input', NOT_A_FORM)));
    parser.on('close', () => settle(null));
    source.on('error', () => settle(new AppError('invalid_input', 'The upload was interrupted.')));
    source.pipe(parser);
  });
}

/** Read and dropped after a refusal before the body is cut off. */
const DRAIN_BYTES = 16 * MB;
const DRAIN_MS = 10_000;

/**
 * Disposes of a body that will not be used. Cutting it off at once would reset the connection
 * while the client is still sending, and a reset can make it lose the refusal it was sent, so
 * up to DRAIN_BYTES more (or DRAIN_MS) is read and dropped first: enough for any body the
 * client declared near the limit to end normally, while a 1 GB one is cut off after that.
 */
export function discardBody(request: Request): void {
  if (!request.body || request.body.locked) return;
  drainThenCut(Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>, { highWaterMark: 64 * 1024 }));
}

function drainThenCut(source: Readable): void {
  let seen = 0;
  const cut = () => {
    clearTimeout(timer);
    source.destroy();
  };
  const timer = setTimeout(cut, DRAIN_MS);
  timer.unref();
  source.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DRAIN_BYTES) cut();
  });
  source.on('end', () => clearTimeout(timer));
  source.on('error', () => clearTimeout(timer));
  source.resume();
}

function tooLarge(name: string | null | undefined, limits: MultipartLimits): AppError {
  const limit = `${limits.fileBytes / MB} MB`;
  const message = name
    ? `“${displayName(name)}” is larger than ${limit}, the limit per image.`
    : `The file is larger than ${limit}, the limit per image.`;
  return new AppError('payload_too_large', message, { fields: { file: message } });
}
