import { z } from 'zod';

/**
 * The safety layer's vocabulary, client-safe: blocklist rules (words and patterns), the events
 * the pre-check records, and the checks a pattern must pass before it is saved, so the settings
 * form and the server refuse the same things with the same words.
 */

export const SAFETY_RULE_KINDS = ['word', 'pattern'] as const;
export type SafetyRuleKind = (typeof SAFETY_RULE_KINDS)[number];

export const SAFETY_SOURCES = ['blocklist', 'moderation'] as const;
export type SafetySource = (typeof SAFETY_SOURCES)[number];

/** Longest word or phrase; a blocklist entry is a term, not a paragraph. */
export const MAX_WORD_LENGTH = 80;
/**
 * Longest pattern. Short patterns keep the static checks below meaningful; the matcher also runs
 * every pattern under a time limit (lib/server/safety/blocklist.ts), whatever passes here.
 */
export const MAX_PATTERN_LENGTH = 200;
/** Rules per workspace: every submit checks all of them. */
export const MAX_WORD_RULES = 500;
export const MAX_PATTERN_RULES = 100;

/**
 * Why a pattern is refused, or undefined when it may be saved. JavaScript regular expressions
 * backtrack, so a few shapes can take exponential time on a crafted instruction ("catastrophic
 * backtracking"). Refused up front, with a reason a person can act on:
 * - anything that does not compile with the flags the matcher uses (`iu`);
 * - a repeated group that itself holds a quantifier or an alternation, e.g. `(a+)+`, `(\w*)*`,
 *   `(a|ab)*` (the classic exponential shapes); `(cat|dog)?` is fine: `?` repeats at most once;
 * - back-references (`\1`, `\k<name>`), which no linear engine supports either.
 * This is a screen, not a proof (polynomial blow-ups like `.*a.*a.*a` pass it), so the matcher
 * also stops any pattern that runs past its time limit.
 */
export function patternProblem(source: string): string | undefined {
  if (source.length === 0) return 'Write a pattern.';
  if (source.length > MAX_PATTERN_LENGTH) return `Keep patterns under ${MAX_PATTERN_LENGTH} characters.`;
  try {
    new RegExp(source, 'iu');
  } catch (e) {
    return `Not a valid regular expression: ${e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e)}.`;
  }
  if (/\\[1-9]|\\k</.test(source)) return 'Back-references (\\1, \\k<name>) are not allowed in blocklist patterns.';
  if (hasRepeatedComplexGroup(source)) {
    return 'A repeated group may not contain another quantifier or an alternation, e.g. (a+)+ or (a|ab)*: such patterns can take exponential time. Rewrite it without the nesting.';
  }
  return undefined;
}

/**
 * Walks the pattern once, tracking groups: a group closed by `)` and followed by `*`, `+` or
 * `{n,}`/`{n,m}` (m > 1) is "repeated"; it is refused when its body held a quantifier or a `|`.
 * Escapes and character classes are skipped, so `[a+|]` or `\+` count for nothing.
 */
function hasRepeatedComplexGroup(source: string): boolean {
  const stack: { complex: boolean }[] = [];
  let lastClosed: { complex: boolean } | undefined;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      i++;
      lastClosed = undefined;
      continue;
    }
    if (ch === '[') {
      // Skip the class; `]` right after `[` or `[^` is literal.
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      i = j;
      lastClosed = undefined;
      continue;
    }
    if (ch === '(') {
      stack.push({ complex: false });
      // The group's own prefix ((?:, (?=, (?!, (?<=, (?<!, (?<name>) is not a quantifier.
      const prefix = /^\?(?::|=|!|<=|<!|<[^>]*>)/.exec(source.slice(i + 1));
      if (prefix) i += prefix[0].length;
      lastClosed = undefined;
      continue;
    }
    if (ch === ')') {
      lastClosed = stack.pop();
      if (lastClosed?.complex && stack.length) stack[stack.length - 1]!.complex = true;
      continue;
    }
    const quantifier = quantifierAt(source, i);
    if (quantifier) {
      if (quantifier.repeats && lastClosed?.complex) return true;
      if (stack.length) stack[stack.length - 1]!.complex = true;
      i += quantifier.length - 1;
      // A lazy or possessive-looking suffix belongs to this quantifier.
      if (source[i + 1] === '?') i++;
      lastClosed = undefined;
      continue;
    }
    if (ch === '|' && stack.length) stack[stack.length - 1]!.complex = true;
    lastClosed = undefined;
  }
  return false;
}

function quantifierAt(source: string, i: number): { length: number; repeats: boolean } | undefined {
  const ch = source[i];
  if (ch === '*' || ch === '+') return { length: 1, repeats: true };
  if (ch === '?') return { length: 1, repeats: false };
  if (ch === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (!m) return undefined;
    const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
    return { length: m[0].length, repeats: max > 1 };
  }
  return undefined;
}

export const addSafetyRuleSchema = z
  .object({
    kind: z.enum(SAFETY_RULE_KINDS),
    value: z.string().trim().min(1, 'Write a word or a pattern.'),
  })
  .superRefine((rule, ctx) => {
    if (rule.kind === 'word') {
      if (rule.value.length > MAX_WORD_LENGTH)
        ctx.addIssue({ code: 'custom', path: ['value'], message: `Keep words under ${MAX_WORD_LENGTH} characters.` });
      else if (!/[\p{L}\p{N}]/u.test(rule.value))
        ctx.addIssue({ code: 'custom', path: ['value'], message: 'A word needs at least one letter or digit.' });
      return;
    }
    const problem = patternProblem(rule.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });
export type AddSafetyRuleInput = z.input<typeof addSafetyRuleSchema>;

export const removeSafetyRuleSchema = z.object({ ruleId: z.string().min(1).max(64) });

export type SafetyRuleDto = { id: string; kind: SafetyRuleKind; value: string; createdAt: string };

export type SafetyEventDto = {
  id: string;
  sessionId: string | null;
  source: SafetySource;
  reason: string;
  instruction: string;
  targets: string[];
  createdAt: string;
};

/** What the settings page shows about the moderation service (never the key). */
export type ModerationStatus = {
  mode: 'openai' | 'off';
  /** True when the mode is openai and a key is set. */
  active: boolean;
  onError: 'block' | 'allow';
  model: string;
  note: string;
};

export type SafetyOverview = { rules: SafetyRuleDto[]; events: SafetyEventDto[]; moderation: ModerationStatus };
