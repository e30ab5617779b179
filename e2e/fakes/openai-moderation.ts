/**
 * Fake OpenAI moderation endpoint, served by the OpenAI fake: `POST /v1/moderations`.
 * Shapes from openai/openai-node src/resources/moderations.ts (ModerationCreateParams,
 * ModerationCreateResponse): input is a string, a string array or typed parts
 * ({type: "text", text} | {type: "image_url", image_url: {url}}); the answer is
 * {id, model, results: [{flagged, categories, category_scores, category_applied_input_types}]}.
 * One result covers the whole multi-modal input (as OpenAI answers for typed parts).
 *
 * What it flags: any text containing "violent-test-phrase" (category violence), any image part
 * whose data URL is not a JPEG/PNG data URL (category sexual; a stand-in for "an image it
 * dislikes"), and everything in `content_policy` mode. Modes: server_error 500, auth 401,
 * rate_limit 429, malformed_json 200 HTML; hang is the kit's. GET /__moderations lists the
 * inputs received.
 */
import { header, type FakeContext } from './kit';

const CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/instructions',
  'self-harm/intent',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;

export const MODERATION_TRIGGER = 'violent-test-phrase';

type Part = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export function handleModeration(ctx: FakeContext) {
  const error = (status: number, message: string, type: string, code: string | null, headers?: Record<string, string>) =>
    ctx.send(status, { error: { message, type, param: null, code } }, headers);
  if (ctx.req.method !== 'POST') return error(405, 'Method not allowed', 'invalid_request_error', null);
  if (!header(ctx, 'authorization')?.startsWith('Bearer '))
    return error(401, "You didn't provide an API key.", 'invalid_request_error', null);
  switch (ctx.mode) {
    case 'auth':
      return error(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    case 'rate_limit':
      return error(429, 'Rate limit reached for omni-moderation-latest.', 'requests', 'rate_limit_exceeded', { 'retry-after': '1' });
    case 'server_error':
      return error(500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null);
    case 'malformed_json':
      return ctx.send(200, '<html><head><title>502 Bad Gateway</title></head></html>');
    default:
  }
  const body = ctx.json<{ model?: string; input?: string | string[] | Part[] }>();
  if (!body?.input) return error(400, "Missing required parameter: 'input'.", 'invalid_request_error', 'missing_required_parameter');
  const parts: Part[] = (Array.isArray(body.input) ? body.input : [body.input]).map((p) =>
    typeof p === 'string' ? { type: 'text', text: p } : p,
  );
  const log = (ctx.store.get('moderations') as Part[][] | undefined) ?? [];
  log.push(parts);
  ctx.store.set('moderations', log);

  const flags = new Set<string>();
  if (ctx.mode === 'content_policy') flags.add('violence');
  for (const part of parts) {
    if (part.type === 'text' && part.text.toLowerCase().includes(MODERATION_TRIGGER)) flags.add('violence');
    if (part.type === 'image_url' && !/^data:image\/(jpeg|png);base64,/.test(part.image_url?.url ?? '')) flags.add('sexual');
  }
  const categories = Object.fromEntries(CATEGORIES.map((c) => [c, flags.has(c)]));
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, flags.has(c) ? 0.93 : 0.0004]));
  ctx.send(
    200,
    {
      id: `modr-${Math.random().toString(36).slice(2, 10)}`,
      model: 'omni-moderation-2024-09-26',
      results: [{ flagged: flags.size > 0, categories, category_scores: scores, category_applied_input_types: {} }],
    },
    { 'x-request-id': `req_${Math.random().toString(36).slice(2, 12)}` },
  );
}
