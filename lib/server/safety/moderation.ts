import 'server-only';
import sharp from 'sharp';
import { z } from 'zod';
import type { ModerationStatus } from '@/lib/schemas/safety';
import { env } from '../env';
import { guardedFetch } from '../net/fetch';
import { isProviderError } from '../providers/errors';
import { OPENAI_DEFAULT_BASE_URL } from '../providers/openai/wire';
import { redact } from '../redact';

/**
 * OpenAI's moderation endpoint, as the safety pre-check's second opinion.
 *
 * Wire format (openai/openai-node src/resources/moderations.ts, `ModerationCreateParams` and
 * `ModerationCreateResponse`; https://platform.openai.com/docs/api-reference/moderations):
 *   POST {base}/moderations, `Authorization: Bearer`, JSON
 *   {"model": "omni-moderation-latest",
 *    "input": [{"type": "text", "text": "..."}, {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,..."}}]}
 *   → {"id": "modr-...", "model": "...", "results": [{"flagged": bool, "categories": {name: bool}, ...}]}
 * `image_url.url` is "either a URL of the image or the base64 encoded image data" (a data URL).
 * The guide (developers.openai.com/api/docs/guides/moderation) says images may be up to 20 MB
 * and that text-only categories score 0 for images. How many images one call may hold is not
 * documented (a gateway built on it reports one per call), so each reference goes in its own
 * call beside the text, and the calls run together. The endpoint is free.
 * References are downscaled to 512 px JPEG first: plenty for a classifier, small on the wire.
 */

const MODERATION_MODEL = 'omni-moderation-latest';
const IMAGE_SIDE = 512;
const TIMEOUT_MS = 20_000;

const responseSchema = z.object({
  id: z.string().optional(),
  results: z
    .array(
      z.object({
        flagged: z.boolean(),
        categories: z.record(z.string(), z.boolean().nullable()).optional(),
      }),
    )
    .min(1),
});

type ModerationVerdict = { flagged: false } | { flagged: true; categories: string[]; requestId?: string };

/** The moderation call failed (network, status, shape): the caller decides whether to fail closed. */
export class ModerationUnavailable extends Error {
  override name = 'ModerationUnavailable';
}

export function moderationStatus(): ModerationStatus {
  const e = env();
  const active = e.SAFETY_MODERATION === 'openai' && Boolean(e.OPENAI_API_KEY);
  const note =
    e.SAFETY_MODERATION === 'off'
      ? 'Off: set SAFETY_MODERATION=openai (with OPENAI_API_KEY) to check every run with OpenAI’s moderation endpoint before it is sent.'
      : active
        ? `On: every run’s text and references are checked with ${MODERATION_MODEL} before anything is sent.`
        : `SAFETY_MODERATION=openai is set but OPENAI_API_KEY is not: moderation cannot run, so every run is ${e.SAFETY_MODERATION_ON_ERROR === 'block' ? 'refused' : 'sent unchecked'} (SAFETY_MODERATION_ON_ERROR=${e.SAFETY_MODERATION_ON_ERROR}).`;
  return { mode: e.SAFETY_MODERATION, active, onError: e.SAFETY_MODERATION_ON_ERROR, model: MODERATION_MODEL, note };
}

/** Data URL of a small JPEG of the reference (alpha flattened on white). */
async function dataUrlOf(bytes: Buffer): Promise<string> {
  const jpeg = await sharp(bytes)
    .rotate()
    .resize(IMAGE_SIDE, IMAGE_SIDE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 80 })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}

type Input = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

async function call(input: Input[], signal: AbortSignal | undefined): Promise<z.infer<typeof responseSchema> & { requestId?: string }> {
  const e = env();
  const key = e.OPENAI_API_KEY;
  if (!key) throw new ModerationUnavailable('OPENAI_API_KEY is not set.');
  const base = (e.OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, '');
  let res: Awaited<ReturnType<typeof guardedFetch>>;
  try {
    res = await guardedFetch(
      `${base}/moderations`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODERATION_MODEL, input }),
      },
      { signal, timeoutMs: TIMEOUT_MS, maxBytes: 1024 * 1024, redirect: 'same-origin' },
    );
  } catch (err) {
    const message = isProviderError(err) || err instanceof Error ? err.message : String(err);
    throw new ModerationUnavailable(redact(message));
  }
  if (!res.ok) {
    let detail = '';
    try {
      detail = (JSON.parse(res.body.toString()) as { error?: { message?: string } }).error?.message ?? '';
    } catch {}
    throw new ModerationUnavailable(redact(`HTTP ${res.status}${detail ? `: ${detail}` : ''}`));
  }
  let parsed: z.infer<typeof responseSchema>;
  try {
    parsed = responseSchema.parse(JSON.parse(res.body.toString()));
  } catch {
    throw new ModerationUnavailable('the answer was not the documented moderation response.');
  }
  return { ...parsed, requestId: res.headers.get('x-request-id') ?? parsed.id };
}

/**
 * Checks the texts and images. Flagged when any result is; the categories are the union of the
 * flagged ones (names as OpenAI spells them, e.g. "violence/graphic"). Throws
 * ModerationUnavailable for any failure to get an answer.
 */
export async function moderate(input: { texts: string[]; images: Buffer[] }, signal?: AbortSignal): Promise<ModerationVerdict> {
  const text = input.texts
    .map((t) => t.trim())
    .filter(Boolean)
    .join('\n\n');
  const textPart: Input[] = text ? [{ type: 'text', text }] : [];
  let images: string[];
  try {
    images = await Promise.all(input.images.map(dataUrlOf));
  } catch {
    throw new ModerationUnavailable('a reference image could not be prepared for moderation.');
  }
  const batches: Input[][] = images.length
    ? images.map((url) => [...textPart, { type: 'image_url', image_url: { url } }])
    : textPart.length
      ? [textPart]
      : [];
  const answers = await Promise.all(batches.map((b) => call(b, signal)));
  const categories = new Set<string>();
  let requestId: string | undefined;
  let flagged = false;
  for (const answer of answers) {
    for (const result of answer.results) {
      if (!result.flagged) continue;
      flagged = true;
      requestId ??= answer.requestId;
      for (const [name, on] of Object.entries(result.categories ?? {})) if (on) categories.add(name);
      if (categories.size === 0) categories.add('unspecified');
    }
  }
  return flagged ? { flagged: true, categories: [...categories].sort(), requestId } : { flagged: false };
}
