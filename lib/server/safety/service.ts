import 'server-only';
import type { z } from 'zod';
import { APP_ERROR_ADVICE } from '@/lib/schemas/errors';
import {
  MAX_PATTERN_RULES,
  MAX_WORD_RULES,
  SAFETY_RULE_KINDS,
  SAFETY_SOURCES,
  type addSafetyRuleSchema,
  type removeSafetyRuleSchema,
  type SafetyEventDto,
  type SafetyOverview,
  type SafetyRuleDto,
  type SafetySource,
} from '@/lib/schemas/safety';
import type { Ctx } from '../context';
import { db } from '../db/client';
import { decode, encode } from '../db/decoders';
import { AppError } from '../errors';
import { newId } from '../ids';
import { blobKey, requireBlob } from '../storage';
import { type BlocklistRule, findBlocklistHit, wordsOf } from './blocklist';
import { checkSafetyParams } from './params';
import { moderate, ModerationUnavailable, moderationStatus } from './moderation';

/** Events shown on the settings page, newest first. */
const EVENTS_SHOWN = 20;

function ruleKind(kind: string): SafetyRuleDto['kind'] {
  return (SAFETY_RULE_KINDS as readonly string[]).includes(kind) ? (kind as SafetyRuleDto['kind']) : 'word';
}

function eventSource(source: string): SafetySource {
  return (SAFETY_SOURCES as readonly string[]).includes(source) ? (source as SafetySource) : 'blocklist';
}

async function rulesOf(ctx: Ctx): Promise<SafetyRuleDto[]> {
  const rows = await db().safetyRule.findMany({ where: { workspaceId: ctx.workspaceId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  return rows.map((r) => ({ id: r.id, kind: ruleKind(r.kind), value: r.value, createdAt: r.createdAt.toISOString() }));
}

export async function listSafetyEvents(ctx: Ctx, limit = EVENTS_SHOWN): Promise<SafetyEventDto[]> {
  const rows = await db().safetyEvent.findMany({
    where: { workspaceId: ctx.workspaceId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
  return rows.map((e) => ({
    id: e.id,
    sessionId: e.sessionId,
    source: eventSource(e.source),
    reason: e.reason,
    instruction: e.instruction,
    targets: decode.targets(e.targets),
    createdAt: e.createdAt.toISOString(),
  }));
}

export async function loadSafetyOverview(ctx: Ctx): Promise<SafetyOverview> {
  const [rules, events] = await Promise.all([rulesOf(ctx), listSafetyEvents(ctx)]);
  return { rules, events, moderation: moderationStatus() };
}

/**
 * Adds a word or pattern (already checked by the schema). A word that normalises to one already
 * listed ("brand x" beside "Brand-X") is the same rule and refused as such.
 */
export async function addSafetyRule(ctx: Ctx, input: z.output<typeof addSafetyRuleSchema>): Promise<SafetyRuleDto> {
  const existing = await rulesOf(ctx);
  const same = existing.filter((r) => r.kind === input.kind);
  const limit = input.kind === 'word' ? MAX_WORD_RULES : MAX_PATTERN_RULES;
  if (same.length >= limit) throw new AppError('conflict', `The blocklist holds at most ${limit} ${input.kind}s; remove one first.`);
  const key = (v: string) => (input.kind === 'word' ? wordsOf(v).join('') : v);
  const duplicate = same.find((r) => key(r.value) === key(input.value));
  if (duplicate) {
    throw new AppError('conflict', `“${duplicate.value}” is already on the blocklist.`, { fields: { value: 'Already listed.' } });
  }
  const row = await db().safetyRule.create({ data: { id: newId(), workspaceId: ctx.workspaceId, kind: input.kind, value: input.value } });
  return { id: row.id, kind: input.kind, value: row.value, createdAt: row.createdAt.toISOString() };
}

export async function removeSafetyRule(ctx: Ctx, input: z.output<typeof removeSafetyRuleSchema>): Promise<{ ruleId: string }> {
  const { count } = await db().safetyRule.deleteMany({ where: { id: input.ruleId, workspaceId: ctx.workspaceId } });
  if (count === 0) throw new AppError('not_found', 'That rule is no longer on the blocklist.');
  return { ruleId: input.ruleId };
}

export type SafetyCheckInput = {
  sessionId: string;
  instruction: string;
  negativePrompt: string;
  referenceIds: string[];
  targets: string[];
  /** The vendors' own safety settings chosen for this run, checked against the catalog first. */
  safety?: Record<string, number | boolean>;
};

async function recordEvent(
  ctx: Ctx,
  input: { sessionId: string | null; instruction: string; targets: string[] },
  source: SafetySource,
  reason: string,
): Promise<void> {
  await db().safetyEvent.create({
    data: {
      id: newId(),
      workspaceId: ctx.workspaceId,
      sessionId: input.sessionId,
      source,
      reason,
      instruction: input.instruction,
      targets: encode.targets(input.targets),
    },
  });
}

function refuse(reason: string, fields?: Record<string, string>): AppError {
  return new AppError(
    'content_blocked',
    `Refused before sending: ${reason} Nothing was sent or billed. ${APP_ERROR_ADVICE.content_blocked}`,
    {
      fields,
    },
  );
}

/**
 * The blocklist step alone, for a batch at creation (its instruction is the same for every item,
 * so one refusal and one event, not one per item); submitRun runs it again for each item.
 */
export async function checkBlocklist(
  ctx: Ctx,
  input: Omit<SafetyCheckInput, 'referenceIds' | 'sessionId'> & { sessionId: string | null },
): Promise<void> {
  const rules: BlocklistRule[] = await rulesOf(ctx);
  const hit = findBlocklistHit(rules, { instruction: input.instruction, negativePrompt: input.negativePrompt });
  if (!hit) return;
  await recordEvent(ctx, input, 'blocklist', hit.reason);
  throw refuse(hit.reason, { [hit.field]: hit.reason });
}

/**
 * The pre-check every run passes before anything is created or sent (submitRun calls it, so
 * the studio, the API and batches all get it): the workspace blocklist on the instruction and
 * the negative prompt, then, when SAFETY_MODERATION=openai, the moderation endpoint on the
 * texts and the references. A refusal is recorded as a SafetyEvent and thrown as
 * `content_blocked` with the reason. When moderation cannot answer, SAFETY_MODERATION_ON_ERROR
 * decides: `block` (default) refuses with `moderation_unavailable` and records that too;
 * `allow` logs the outage and lets the run through.
 */
export async function checkRunSafety(ctx: Ctx, input: SafetyCheckInput): Promise<void> {
  checkSafetyParams(input.targets, input.safety);
  await checkBlocklist(ctx, input);

  const status = moderationStatus();
  if (status.mode !== 'openai') return;
  try {
    const assets = await db().asset.findMany({ where: { id: { in: input.referenceIds } }, select: { sha256: true } });
    const images = await Promise.all(assets.map((a) => requireBlob(blobKey(a.sha256))));
    const verdict = await moderate({ texts: [input.instruction, input.negativePrompt], images });
    if (!verdict.flagged) return;
    const id = verdict.requestId ? ` (OpenAI request ${verdict.requestId})` : '';
    const reason = `OpenAI moderation flagged the instruction or references: ${verdict.categories.join(', ')}${id}.`;
    await recordEvent(ctx, input, 'moderation', reason);
    throw refuse(reason);
  } catch (e) {
    if (!(e instanceof ModerationUnavailable)) throw e;
    if (status.onError === 'allow') {
      console.warn(`[safety] moderation unavailable, run allowed (SAFETY_MODERATION_ON_ERROR=allow): ${e.message}`);
      return;
    }
    const reason = `The moderation service could not be reached (${e.message}), so the run was not sent.`;
    await recordEvent(ctx, input, 'moderation', reason);
    throw new AppError('moderation_unavailable', `${reason} ${APP_ERROR_ADVICE.moderation_unavailable}`, { retryAfter: 60 });
  }
}
