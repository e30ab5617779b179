/**
 * Word-level differences between several texts (instructions, negative prompts), reduced to a
 * short snippet per text: the differing words wrapped in `**`, a little context, the rest elided.
 * Pure and client-safe.
 */

/** Words shown either side of a differing run. */
const CONTEXT_WORDS = 3;
/** Longest snippet, in words, before it is cut with an ellipsis. */
const MAX_SNIPPET_WORDS = 18;
/** At most this many separate differing regions are shown. */
const MAX_REGIONS = 3;
/** Shown where the other texts have words this one lacks (a pure insertion on their side). */
const GAP_MARK = '—';
const ELLIPSIS = '…';

export function tokenize(text: string | undefined): string[] {
  return (text ?? '').trim().split(/\s+/).filter(Boolean);
}

type Alignment = {
  /** matched[i]: word i of `a` is part of the longest common subsequence with `b`. */
  matched: boolean[];
  /** gapBefore[i] (0..a.length): `b` has unmatched words between a[i-1] and a[i] while `a` has none. */
  gapBefore: boolean[];
};

/**
 * Longest common subsequence of words. The common prefix and suffix are stripped first, so
 * the quadratic table only covers the changed middle (prompts usually differ by a few words).
 */
export function alignWords(a: string[], b: string[]): Alignment {
  const matched = new Array<boolean>(a.length).fill(false);
  const gapBefore = new Array<boolean>(a.length + 1).fill(false);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) matched[pre++] = true;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) {
    matched[a.length - 1 - suf] = true;
    suf++;
  }
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  // table[i][j] = LCS length of a[pre+i..] and b[pre+j..] (middles only), flattened.
  const w = m + 1;
  const table = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * w + j] =
        a[pre + i] === b[pre + j] ? table[(i + 1) * w + j + 1]! + 1 : Math.max(table[(i + 1) * w + j]!, table[i * w + j + 1]!);
    }
  }
  // Walk the table; a run of skipped b-words with no skipped a-words is an insertion in b.
  let i = 0;
  let j = 0;
  let skippedA = false;
  let skippedB = false;
  const flush = (at: number) => {
    if (skippedB && !skippedA) gapBefore[at] = true;
    skippedA = false;
    skippedB = false;
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[pre + i] === b[pre + j]) {
      flush(pre + i);
      matched[pre + i] = true;
      i++;
      j++;
    } else if (j < m && (i >= n || table[i * w + j + 1]! >= table[(i + 1) * w + j]!)) {
      skippedB = true;
      j++;
    } else {
      skippedA = true;
      i++;
    }
  }
  flush(pre + n);
  return { matched, gapBefore };
}

type Piece = { text: string; diff: boolean };

/** Differing words of `words` against every text in `others`, as a sequence with gap marks. */
function markDifferences(words: string[], others: string[][]): Piece[] {
  const diff = new Array<boolean>(words.length).fill(false);
  const gap = new Array<boolean>(words.length + 1).fill(false);
  for (const other of others) {
    const { matched, gapBefore } = alignWords(words, other);
    matched.forEach((ok, i) => {
      if (!ok) diff[i] = true;
    });
    gapBefore.forEach((g, i) => {
      if (g) gap[i] = true;
    });
  }
  const pieces: Piece[] = [];
  for (let i = 0; i <= words.length; i++) {
    // A gap next to a changed word is already explained by that word.
    if (gap[i] && !diff[i - 1] && !diff[i]) pieces.push({ text: GAP_MARK, diff: true });
    if (i < words.length) pieces.push({ text: words[i]!, diff: diff[i]! });
  }
  return pieces;
}

/** Regions of differing pieces with context, merged when they overlap, then rendered. */
function renderSnippet(pieces: Piece[]): string {
  const regions: [number, number][] = [];
  pieces.forEach((p, i) => {
    if (!p.diff) return;
    const start = Math.max(0, i - CONTEXT_WORDS);
    const end = Math.min(pieces.length - 1, i + CONTEXT_WORDS);
    const last = regions[regions.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else regions.push([start, end]);
  });
  if (regions.length === 0) return pieces.map((p) => p.text).join(' ');

  // Spend the word budget region by region; a region that does not fit is cut short.
  const shown: [number, number][] = [];
  let budget = MAX_SNIPPET_WORDS;
  for (const [start, end] of regions.slice(0, MAX_REGIONS)) {
    if (budget <= 0) break;
    const take = Math.min(end, start + budget - 1);
    budget -= take - start + 1;
    shown.push([start, take]);
  }
  const first = shown[0]![0];
  const last = shown[shown.length - 1]![1];
  const body = shown.map(([s, e]) => emphasise(pieces.slice(s, e + 1))).join(` ${ELLIPSIS} `);
  return (first > 0 ? ELLIPSIS : '') + body + (last < pieces.length - 1 ? ELLIPSIS : '');
}

/** Joins words, wrapping each run of differing pieces in a single `**…**`. */
function emphasise(pieces: Piece[]): string {
  const parts: string[] = [];
  let run: string[] = [];
  const close = () => {
    if (run.length) parts.push(`**${run.join(' ')}**`);
    run = [];
  };
  for (const p of pieces) {
    if (p.diff) run.push(p.text);
    else {
      close();
      parts.push(p.text);
    }
  }
  close();
  return parts.join(' ');
}

/**
 * One snippet per input text showing what differs from the other texts. Identical texts are
 * grouped so each distinct pair is aligned once. Empty texts render as the gap mark.
 */
export function wordDiffSnippets(texts: (string | undefined)[]): string[] {
  const tokens = texts.map(tokenize);
  const distinct = [...new Set(tokens.map((t) => t.join(' ')))];
  const byText = new Map<string, string>();
  for (const text of distinct) {
    const words = tokenize(text);
    const others = distinct.filter((o) => o !== text).map(tokenize);
    byText.set(text, words.length === 0 ? `**${GAP_MARK}**` : renderSnippet(markDifferences(words, others)));
  }
  return tokens.map((t) => byText.get(t.join(' ')) ?? '');
}

/** The snippet without emphasis markers, for titles and accessible names. */
export function plainSnippet(snippet: string): string {
  return snippet.replaceAll('**', '');
}
