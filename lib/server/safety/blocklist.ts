import 'server-only';
import vm from 'node:vm';
import type { SafetyRuleKind } from '@/lib/schemas/safety';

/**
 * The blocklist matcher: pure, no database, so every rule of matching is tested here.
 *
 * Words (and phrases) match whole words, case-insensitively, after Unicode NFKC normalisation:
 * - NFKC folds compatibility forms first, so full-width "ＢＲＡＮＤ", ligatures ("ﬁ") and
 *   superscripts compare as their plain letters; then lower case (toLowerCase, locale-free).
 *   Accents are kept: "café" and "cafe" are different words (stripping them would merge real
 *   words in many languages).
 * - Text and rule are split into words: runs of letters, digits and combining marks. Everything
 *   else (spaces, hyphens, dots, underscores, apostrophes, emoji) only separates words.
 * - A rule matches where some run of consecutive words of the text, joined without separators,
 *   equals the rule's words joined. So the rule "Brand-X" matches "brand x", "BRAND_X",
 *   "brand.x" and "brandx"; "brandx" matches "Brand-X" too. It never matches inside a word:
 *   "brand-xylophone" and "subbrandx" do not match. The price of joining: a rule can match
 *   across a word boundary that happens to spell it ("therapist" in "the rapist"), which for a
 *   blocklist errs on the safe side.
 * - Scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) have
 *   no word boundaries to match on: a rule holding such letters matches as a substring of the
 *   text's joined words.
 *
 * Patterns are JavaScript regular expressions, run case-insensitively with Unicode (`iu`) on
 * the NFKC-normalised text (not lower-cased, not split). Each pattern passed the static checks
 * of `patternProblem` when it was saved; each also runs under a time limit here (a `vm` script
 * timeout, which interrupts a backtracking regular expression), and one that runs out of time
 * counts as a match: the check fails closed, and the reason says which pattern to fix.
 */

export type BlocklistRule = { id: string; kind: SafetyRuleKind; value: string };
type BlocklistField = 'instruction' | 'negativePrompt';
type BlocklistHit = { rule: BlocklistRule; field: BlocklistField; reason: string };

/** Per pattern and text. Generous for a 2,000-character instruction even on a loaded machine (a wall-clock limit: at 50 ms, plain patterns timed out at load 13); a runaway pattern hits it. */
const PATTERN_TIME_LIMIT_MS = 250;

const WORD_RE = /[\p{L}\p{N}\p{M}]+/gu;
const UNSPACED_RE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

function normalizeText(text: string): string {
  return text.normalize('NFKC');
}

/** NFKC, lower case, split into words. */
export function wordsOf(text: string): string[] {
  return normalizeText(text).toLowerCase().match(WORD_RE) ?? [];
}

/** True when the word rule occurs in the text (see the file comment for what "occurs" means). */
export function matchesWord(rule: string, text: string): boolean {
  const needle = wordsOf(rule).join('');
  if (!needle) return false;
  const words = wordsOf(text);
  if (UNSPACED_RE.test(needle)) return words.join('').includes(needle);
  for (let start = 0; start < words.length; start++) {
    if (!needle.startsWith(words[start]!)) continue;
    let joined = '';
    for (let end = start; end < words.length && joined.length < needle.length; end++) {
      joined += words[end];
      if (joined === needle) return true;
      if (!needle.startsWith(joined)) break;
    }
  }
  return false;
}

/** One script and one context per process: only the two values change between runs. */
const script = new vm.Script('re.test(text)');
let context: vm.Context | undefined;

/**
 * Runs one pattern under the time limit. `timedOut` when it was stopped; a pattern that no
 * longer compiles (saved by an older version) is reported as `invalid` and skipped.
 */
export function testPattern(source: string, text: string, limitMs = PATTERN_TIME_LIMIT_MS): 'match' | 'no-match' | 'timed-out' | 'invalid' {
  let re: RegExp;
  try {
    re = new RegExp(source, 'iu');
  } catch {
    return 'invalid';
  }
  try {
    context ??= vm.createContext({});
    context.re = re;
    context.text = normalizeText(text);
    return script.runInContext(context, { timeout: limitMs }) === true ? 'match' : 'no-match';
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timed-out';
    throw e;
  }
}

/**
 * The first rule the instruction or the negative prompt trips, in that order (words before
 * patterns: they are cheaper). Undefined when the texts are clean.
 */
export function findBlocklistHit(rules: BlocklistRule[], texts: Record<BlocklistField, string>): BlocklistHit | undefined {
  const fields = (Object.keys(texts) as BlocklistField[]).filter((f) => texts[f].trim() !== '');
  const label: Record<BlocklistField, string> = { instruction: 'instruction', negativePrompt: 'negative prompt' };
  for (const rule of rules.filter((r) => r.kind === 'word')) {
    for (const field of fields) {
      if (matchesWord(rule.value, texts[field])) {
        return { rule, field, reason: `The ${label[field]} contains the blocked term “${rule.value}”.` };
      }
    }
  }
  for (const rule of rules.filter((r) => r.kind === 'pattern')) {
    for (const field of fields) {
      const outcome = testPattern(rule.value, texts[field]);
      if (outcome === 'match') return { rule, field, reason: `The ${label[field]} matches the blocked pattern /${rule.value}/.` };
      if (outcome === 'timed-out') {
        return {
          rule,
          field,
          reason: `The blocked pattern /${rule.value}/ took too long to check against the ${label[field]}, so the run was refused to be safe; simplify the pattern under Settings → Safety.`,
        };
      }
    }
  }
  return undefined;
}
