/**
 * Target presets: named groups of catalog targets the picker selects in one click. Client-safe.
 * Members are computed from the catalog (model ids and families), so a new Wan host or a new
 * Kontext model joins its group without an edit here. A preset never selects more than the
 * per-run limit, selects only configured targets, and says what it left out and why.
 */
import { MAX_TARGETS } from '@/lib/schemas/limits';
import type { CatalogTarget } from './target-kit';

/** "2.7", "2.1"… from a Wan model id as each vendor spells it: wan2.7-image, wan-2.7, wan/2-7, wan/v2.7, wanx2.1. */
export function wanVersion(t: CatalogTarget): string | undefined {
  if (t.family !== 'wan') return undefined;
  const m = /wan[^\d/]{0,2}\/?v?(\d)[.-](\d)\b/i.exec(t.model);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** Pro tier of a model, by its id (wan2.7-image-pro, …/image-edit-pro, wan-2.7-pro/…, flux-pro). */
const isPro = (t: CatalogTarget) => /(^|[-/])pro([-/]|$)/i.test(t.model);

/** The standard (not Pro) Wan model of one version: "the same model" across hosts. */
const wanLine = (version: string) => (t: CatalogTarget) => wanVersion(t) === version && !isPro(t);

export type TargetPreset = {
  id: 'wan27-hosts' | 'wan21-vs-27' | 'best-of-families';
  label: string;
  /** What the group compares, for the button's description. */
  purpose: string;
  /** Candidates in order; the configured ones are selected, up to the limit. */
  members<T extends CatalogTarget>(catalog: readonly T[], isConfigured: (t: T) => boolean): T[];
};

/** First target per provider: a host counts once. */
function onePerProvider<T extends CatalogTarget>(list: readonly T[]): T[] {
  return list.filter((t, i) => list.findIndex((o) => o.provider === t.provider) === i);
}

/** Lower is better within a family; ties keep catalog order. */
type Family = { name: string; has: (t: CatalogTarget) => boolean; rank: (t: CatalogTarget) => number };

const FAMILIES: Family[] = [
  // Newest Wan first, Pro before standard, Alibaba's own API (DashScope) before resellers.
  {
    name: 'Wan',
    has: (t) => wanVersion(t) !== undefined,
    rank: (t) => -Number(wanVersion(t)) * 10 - (isPro(t) ? 2 : 0) - (t.provider === 'dashscope' ? 1 : 0),
  },
  // Kontext [max] before [pro] before [dev].
  {
    name: 'FLUX Kontext',
    has: (t) => t.family === 'flux' && /kontext/i.test(t.model),
    rank: (t) => (/max/i.test(t.model) ? 0 : isPro(t) ? 1 : 2),
  },
  // Newest GPT Image first, mini last.
  {
    name: 'GPT Image',
    has: (t) => t.family === 'gpt-image',
    rank: (t) => (/mini/i.test(t.model) ? 100 : 0) - Number(/gpt-image-(\d+(?:\.\d+)?)/.exec(t.model)?.[1] ?? 0),
  },
  // Large before Large Turbo before Medium.
  { name: 'SD 3.5', has: (t) => /sd3\.5/i.test(t.model), rank: (t) => (/large/i.test(t.model) ? (/turbo/i.test(t.model) ? 1 : 0) : 2) },
];

function best<T extends CatalogTarget>(list: readonly T[], rank: (t: T) => number): T | undefined {
  return list.reduce<T | undefined>((a, t) => (a === undefined || rank(t) < rank(a) ? t : a), undefined);
}

export const TARGET_PRESETS: TargetPreset[] = [
  {
    id: 'wan27-hosts',
    label: 'Every Wan 2.7 host',
    purpose: 'The same model (Wan 2.7 image edit, standard tier) on each vendor that serves it: compare price, latency and output.',
    members: (catalog) => onePerProvider(catalog.filter(wanLine('2.7'))),
  },
  {
    id: 'wan21-vs-27',
    label: 'Wan 2.1 vs 2.7',
    purpose:
      'One instruction on Wan 2.1 and Wan 2.7, from the same vendor where it serves both, so only the model differs (Wan 2.1 image edit is DashScope’s, Beijing region only).',
    members(catalog, isConfigured) {
      const old = catalog.filter(wanLine('2.1'));
      const current = catalog.filter(wanLine('2.7'));
      return old.flatMap((t) => {
        const twin = current.find((c) => c.provider === t.provider) ?? current.find(isConfigured) ?? current[0];
        return twin ? [t, twin] : [t];
      });
    },
  },
  {
    id: 'best-of-families',
    label: 'Best of each family',
    purpose: 'The top model of each family you can run (Wan, FLUX Kontext, GPT Image, SD 3.5), one target each.',
    members(catalog, isConfigured) {
      return FAMILIES.flatMap((f) => {
        const all = catalog.filter(f.has);
        const pick = best(all.filter(isConfigured), f.rank) ?? best(all, f.rank);
        return pick ? [pick] : [];
      });
    },
  },
];

export type PresetSelection<T extends CatalogTarget> = {
  preset: TargetPreset;
  /** Configured members, in order, within the per-run limit: what the button selects. */
  selected: T[];
  /** Members whose provider has no key (or no base URL). */
  skipped: T[];
  /** Configured members beyond the per-run limit. */
  overLimit: T[];
  limit: number;
};

/** Configured-ness of a studio target (it carries the flag); bare catalog targets count as configured. */
const configuredFlag = (t: CatalogTarget) => !('configured' in t) || (t as { configured?: unknown }).configured !== false;

export function resolvePreset<T extends CatalogTarget>(
  preset: TargetPreset,
  catalog: readonly T[],
  isConfigured: (t: T) => boolean = configuredFlag,
  limit = MAX_TARGETS,
): PresetSelection<T> {
  const members = [...new Set(preset.members(catalog, isConfigured))];
  const ready = members.filter(isConfigured);
  return {
    preset,
    selected: ready.slice(0, limit),
    overLimit: ready.slice(limit),
    skipped: members.filter((t) => !isConfigured(t)),
    limit,
  };
}

/** "Every Wan 2.7 host (7)": the count is what a click selects. */
export function presetButtonLabel(sel: PresetSelection<CatalogTarget>): string {
  return `${sel.preset.label} (${sel.selected.length})`;
}

/** One sentence per part: purpose, what it selects, what it skips and why. */
export function describePreset<T extends CatalogTarget & { envKey?: string | null }>(sel: PresetSelection<T>): string {
  const parts = [sel.preset.purpose];
  parts.push(
    sel.selected.length
      ? `Selects ${sel.selected.map((t) => t.label).join(', ')}.`
      : 'Selects nothing: no target of this group is configured.',
  );
  if (sel.skipped.length) {
    const why = (t: T) => (t.envKey ? `${t.label} (add ${t.envKey} to .env)` : t.label);
    parts.push(`Skipped, not configured: ${sel.skipped.map(why).join(', ')}.`);
  }
  if (sel.overLimit.length)
    parts.push(`Left out, over the ${sel.limit}-target limit per run: ${sel.overLimit.map((t) => t.label).join(', ')}.`);
  return parts.join(' ');
}
