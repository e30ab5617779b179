import type { CompareCandidate } from '@/lib/schemas/compare';
import { wordDiffSnippets } from './word-diff';

/**
 * What sets compared images apart, computed from their facts (never typed by hand), so a grid
 * can caption each image with only what differs. Pure and client-safe.
 */
export type FactLabel = { fact: string; value: string };
export type FactDifferences = {
  /** Fact names that differ across the items, in display order. */
  keys: string[];
  /** Per candidate key, that item's value for each differing fact (empty when nothing differs). */
  labels: Record<string, FactLabel[]>;
};

/** Shown for a fact an item does not have while others do. */
export const MISSING_VALUE = '—';
const KIND_FACT = 'kind';

type Variation = CompareCandidate & { kind: 'variation' };
type Fact = { name: string; read: (c: CompareCandidate) => string | undefined; text?: boolean };

/** Fixed facts first; params follow in first-seen order. */
const FIXED_FACTS: Fact[] = [
  { name: 'provider', read: (c) => c.facts.provider },
  { name: 'model', read: (c) => c.facts.model },
  { name: 'seed', read: (c) => str(c.facts.seed) },
  { name: 'instruction', read: (c) => c.facts.instruction, text: true },
  { name: 'negative prompt', read: (c) => c.facts.negativePrompt, text: true },
];

/**
 * Param keys that repeat a fixed fact: the run's base `seed` is shadowed by each variation's own
 * seed, which is what actually produced the image.
 */
const SHADOWED_PARAMS = new Set(['seed']);

export function differingFacts(items: CompareCandidate[]): FactDifferences {
  const unique = dedupeByKey(items);
  const labels: Record<string, FactLabel[]> = {};
  for (const item of unique) labels[item.key] = [];
  const keys: string[] = [];

  const variations = unique.filter((c): c is Variation => c.kind === 'variation');
  const references = unique.filter((c) => c.kind === 'reference');

  // References have no provider, seed or prompt: comparing those facts would only say "missing".
  // They are set apart by their kind instead, when mixed with variations.
  if (references.length > 0 && variations.length > 0) {
    keys.push(KIND_FACT);
    for (const r of references) labels[r.key]!.push({ fact: KIND_FACT, value: 'reference' });
  }
  if (variations.length < 2) return { keys, labels };

  for (const fact of [...FIXED_FACTS, ...paramFacts(variations)]) {
    const raw = variations.map((v) => normalise(fact.read(v)));
    if (new Set(raw.map((v) => v ?? '')).size < 2) continue;
    keys.push(fact.name);
    const values = fact.text ? wordDiffSnippets(raw) : raw.map((v) => v ?? MISSING_VALUE);
    for (const [i, v] of variations.entries()) labels[v.key]!.push({ fact: fact.name, value: values[i] ?? MISSING_VALUE });
  }
  return { keys, labels };
}

function paramFacts(variations: Variation[]): Fact[] {
  const names: string[] = [];
  for (const v of variations) {
    for (const name of Object.keys(v.facts.params ?? {})) {
      if (!SHADOWED_PARAMS.has(name) && !names.includes(name)) names.push(name);
    }
  }
  return names.map((name) => ({ name, read: (c) => str(c.facts.params?.[name]) }));
}

function dedupeByKey(items: CompareCandidate[]): CompareCandidate[] {
  const seen = new Set<string>();
  return items.filter((c) => !seen.has(c.key) && seen.add(c.key));
}

function str(v: string | number | boolean | undefined): string | undefined {
  return v === undefined ? undefined : String(v);
}

/** Blank and whitespace-only values count as absent; runs of whitespace are not a difference. */
function normalise(v: string | undefined): string | undefined {
  const t = v?.trim().replace(/\s+/g, ' ');
  return t ? t : undefined;
}

/** "Differs by: provider, seed" — or why nothing is listed. */
export function differsBySummary(items: CompareCandidate[], keys: string[]): string {
  if (items.length < 2) return 'Add another image to see what differs.';
  if (keys.length === 0) return 'No differences in provider, model, seed, prompt or parameters.';
  return `Differs by: ${keys.join(', ')}`;
}

/** What a single candidate is (provider, model, seed), for when there is nothing to diff against. */
export function describeCandidate(c: CompareCandidate): FactLabel[] {
  if (c.kind === 'reference') return [{ fact: KIND_FACT, value: 'reference' }];
  return FIXED_FACTS.filter((f) => !f.text)
    .map((f) => ({ fact: f.name, value: normalise(f.read(c)) }))
    .filter((l): l is FactLabel => l.value !== undefined);
}
