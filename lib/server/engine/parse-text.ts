import 'server-only';
import { readColour, type NamedColour } from './colors';

/**
 * Text preparation for the parser: lower-case, fold spellings and synonyms into one
 * canonical word each, then swap colour phrases for placeholders so the operation patterns
 * can say "a colour goes here" without listing 180 names.
 */

const ORDINALS: Record<string, string> = {
  first: '1',
  '1st': '1',
  second: '2',
  '2nd': '2',
  third: '3',
  '3rd': '3',
  fourth: '4',
  '4th': '4',
};

export function normalise(instruction: string): string {
  let t = ` ${instruction.toLowerCase()} `;
  t = t
    .replace(/[\u2018\u2019`´]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\u00d7/g, 'x')
    .replace(/\u00b0/g, ' degrees ')
    .replace(/[\u2192]|->/g, ' to ')
    .replace(/\bcolou?r(s|ed|ful|ing|ize|ise)?\b/g, (_m, s: string | undefined) => `color${s ?? ''}`)
    .replace(/\bre-?colou?r(s|ed|ing)?\b/g, 'recolor')
    .replace(/\b(?:back\s*-?\s*grounds?|bgs?|backdrops?|back\s+drops?)\b/g, 'background')
    .replace(/\b(?:black\s*(?:and|&|n|\+)\s*white|b\s*&\s*w|b\/w|bnw|gr[ae]y\s*-?\s*scale|monochrom(?:e|atic))\b/g, ' greyscale ')
    .replace(
      /\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:image|img|picture|pic|photo|reference|ref|one)\b/g,
      (_m, o: string) => `image ${ORDINALS[o] ?? o}`,
    )
    .replace(/\b(?:images?|imgs?|pictures?|pics?|photos?|references?|refs?)\s*(?:#|no\.?|number)?\s*([1-9])\b/g, 'image $1')
    .replace(/(\d)\s*:\s*(\d)/g, '$1:$2')
    .replace(/\s+/g, ' ');
  return t;
}

/** Replaces each colour phrase with ⟦n⟧ and returns the colours in order of n. */
export function extractColours(text: string): { text: string; colours: NamedColour[] } {
  const colours: NamedColour[] = [];
  // Tokens are words or hex codes; a colour phrase may span words separated by space/hyphen.
  const tokens = [...text.matchAll(/#[0-9a-f]{6}\b|#[0-9a-f]{3}\b|[a-z]+/g)];
  let out = '';
  let cursor = 0;
  for (let i = 0; i < tokens.length; ) {
    // Words after a non-space, non-hyphen gap may not join this colour phrase.
    let runEnd = i + 1;
    while (runEnd < tokens.length && runEnd - i < 4) {
      const prev = tokens[runEnd - 1];
      const next = tokens[runEnd];
      if (!prev || !next) break;
      const gap = text.slice((prev.index ?? 0) + prev[0].length, next.index);
      if (!/^[\s-]+$/.test(gap)) break;
      runEnd += 1;
    }
    const words = tokens.slice(i, runEnd).map((m) => m[0]);
    const found = readColour(words, 0);
    const start = tokens[i];
    if (found && start) {
      const last = tokens[i + found.used - 1];
      if (!last) break;
      const end = (last.index ?? 0) + last[0].length;
      out += `${text.slice(cursor, start.index)}\u27e6${colours.length}\u27e7`;
      colours.push(found.colour);
      cursor = end;
      i += found.used;
    } else {
      i += 1;
    }
  }
  out += text.slice(cursor);
  return { text: out, colours };
}

/** Words that carry no operation of their own; anything else left over is reported. */
const FILLER = new Set(
  (
    "a an the it its it's this that these those them me my our your please pls can could would you " +
    'i we want wanted like need just also and then plus with to of in on onto into for from by at as ' +
    'is be are make made turn give apply add set use using do does keep leave same whole entire all ' +
    'image images picture photo version result output final bit little more less some very slightly ' +
    'really much so now too look looks looking little lot effect filter style edit change convert ' +
    'converted replace swap background subject product object item thing foreground everything ' +
    'overall only new nice nicely good kind sort but while instead either both each other one up down ' +
    'out off over under around there here done ok okay thanks thank hey hi version copy print quality ' +
    "put place lay arrange show position colors color tones tone don't dont not no"
  ).split(' '),
);

/**
 * Leftover fragments after all patterns consumed their spans: split on clause joints and
 * keep the fragments that still contain a real word, restoring colour names for quoting.
 */
export function leftovers(working: string, colours: readonly NamedColour[]): string[] {
  const fragments = working
    .split(/[,.;!?]|\band\b|\bthen\b|\balso\b|\bplus\b|\bbut\b/)
    .map((f) => f.replace(/\u27e6(\d+)\u27e7/g, (_m, n: string) => colours[Number(n)]?.label ?? '').trim())
    .map((f) => f.replace(/\s+/g, ' '));
  return fragments.filter((f) => {
    const words = f.match(/[a-z0-9][a-z0-9'-]*/g) ?? [];
    return words.some((w) => w.length > 1 && !FILLER.has(w) && !/^\d+$/.test(w));
  });
}
