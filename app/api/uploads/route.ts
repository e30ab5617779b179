import { MAX_UPLOAD_BYTES } from '@/lib/schemas/limits';
import { acceptUpload } from '@/lib/server/uploads';

export const runtime = 'nodejs';

/** One reference image per request, so each file gets its own progress and its own error. */
export async function POST(request: Request) {
  const length = Number(request.headers.get('content-length') ?? 0);
  // Refuse before buffering a body that cannot pass (multipart overhead allowed).
  if (length > MAX_UPLOAD_BYTES + 64 * 1024) {
    return Response.json(
      { ok: false, error: { code: 'too_large', message: `The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.` } },
      { status: 413 },
    );
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return Response.json({ ok: false, error: { code: 'no_file', message: 'Expected a multipart form with a file.' } }, { status: 400 });
  }
  const file = form.get('file');
  const result = await acceptUpload(file instanceof File ? file : null);
  return Response.json(result, { status: result.ok ? 201 : result.error.code === 'too_large' ? 413 : 422 });
}
