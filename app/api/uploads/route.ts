import { MAX_UPLOAD_BYTES } from '@/lib/schemas/limits';
import { AppError } from '@/lib/server/errors';
import { defineRoute } from '@/lib/server/route';
import { acceptUpload } from '@/lib/server/services/uploads';

export const runtime = 'nodejs';

/** One reference image per request, so each file gets its own progress and its own error. */
export const POST = defineRoute({ name: 'uploads.create' }, async (ctx, { request }) => {
  const length = Number(request.headers.get('content-length') ?? 0);
  // Refuse before buffering a body that cannot pass (multipart overhead allowed).
  if (length > MAX_UPLOAD_BYTES + 64 * 1024) throw new AppError('payload_too_large', `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError('invalid_input', 'Expected a multipart form with a file.');
  }
  const file = form.get('file');
  return Response.json(await acceptUpload(ctx, file instanceof File ? file : null), { status: 201 });
});
