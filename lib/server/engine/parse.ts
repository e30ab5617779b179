import 'server-only';
import type { NamedColour } from './colors';
import type { ParsedInstruction, PlacedOp } from './ops';
import { extractColours, leftovers, normalise } from './parse-text';
import { MATCHERS, type MatchContext } from './parse-patterns';

const IDEMPOTENT = new Set(['removeBackground', 'greyscale', 'sepia', 'upscale', 'layout', 'place', 'palette']);

/** Just before a match: "don't", "no", "without"... turns the phrase off. */
const NEGATION = /\b(?:don'?t|do not|not|never|without|avoid|skip|no need to)\s+(?:\w+\s+)?$/;

/**
 * Instruction text -> operations. Patterns run in a fixed priority order; each consumed span
 * is blanked so a later, looser pattern ("blur") cannot re-read a stricter one's words
 * ("blur the background"). What no pattern consumed is reported back, never silently dropped.
 */
export function parseInstruction(instruction: string): ParsedInstruction {
  const normalised = normalise(instruction);
  const { text, colours } = extractColours(normalised);
  let working = text;
  const ops: PlacedOp[] = [];
  const negated: string[] = [];
  let shadow: ParsedInstruction['shadow'] = 'auto';

  const ctx: MatchContext = {
    colour: (ref: string | undefined): NamedColour | undefined => (ref === undefined ? undefined : colours[Number(ref)]),
    mentionsBackground: /\bbackground\b/.test(text),
    setShadow: (value) => {
      shadow = value;
    },
  };

  for (const matcher of MATCHERS) {
    const snapshot = working;
    for (const m of snapshot.matchAll(matcher.re)) {
      const at = m.index ?? 0;
      const made = matcher.make(m, ctx);
      if (made === null) continue;
      working = working.slice(0, at) + ' '.repeat(m[0].length) + working.slice(at + m[0].length);
      const before = text.slice(Math.max(0, at - 24), at);
      if (NEGATION.test(before) && made !== 'consume') {
        negated.push(quote(m[0], colours));
        continue;
      }
      if (made === 'consume') continue;
      for (const op of Array.isArray(made) ? made : [made]) {
        // "Cut out ..., transparent PNG" names one removal twice; applying it twice means nothing.
        if (IDEMPOTENT.has(op.kind) && ops.some((o) => o.kind === op.kind)) continue;
        ops.push({ ...op, at } as PlacedOp);
      }
    }
  }

  const mentionedImages = [...new Set([...text.matchAll(/\bimage ([1-9])\b/g)].map((m) => Number(m[1]) - 1))].sort((a, b) => a - b);
  ops.sort((a, b) => a.at - b.at);
  return { ops, shadow, ignored: leftovers(working, colours), mentionedImages, negated };
}

function quote(fragment: string, colours: readonly NamedColour[]): string {
  return fragment.replace(/\u27e6(\d+)\u27e7/g, (_m, n: string) => colours[Number(n)]?.label ?? '').trim();
}
