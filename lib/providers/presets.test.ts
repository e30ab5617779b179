import { describe, expect, it } from 'vitest';
import { MAX_TARGETS } from '@/lib/schemas/limits';
import { CATALOG, PROVIDERS } from './catalog';
import { describePreset, presetButtonLabel, resolvePreset, TARGET_PRESETS, wanVersion, type TargetPreset } from './presets';
import { target, type CatalogTarget, type ProviderId } from './target-kit';

type Studio = CatalogTarget & { configured: boolean; envKey: string | null };
const studio = (configured: (p: ProviderId) => boolean): Studio[] =>
  CATALOG.map((t) => ({ ...t, configured: configured(t.provider), envKey: PROVIDERS[t.provider].envKey }));
const everything = studio(() => true);
const preset = (id: TargetPreset['id']) => TARGET_PRESETS.find((p) => p.id === id)!;
const ids = (list: readonly CatalogTarget[]) => list.map((t) => t.id);

describe('wanVersion', () => {
  it('reads the version from every vendor’s spelling of a Wan model id', () => {
    const wan = CATALOG.filter((t) => t.family === 'wan');
    expect(wan.every((t) => wanVersion(t) !== undefined)).toBe(true);
    const byId = Object.fromEntries(wan.map((t) => [t.id, wanVersion(t)]));
    expect(byId).toMatchObject({
      'dashscope:wan2.7-image': '2.7',
      'dashscope:wanx2.1-imageedit': '2.1',
      'wavespeed:alibaba/wan-2.5/image-edit': '2.5',
      'kie:wan/2-7-image': '2.7',
      'replicate:wan-video/wan-2.7-image': '2.7',
      'fal:fal-ai/wan/v2.7/edit': '2.7',
      'atlascloud:alibaba/wan-2.7-pro/image-edit': '2.7',
    });
    expect(wanVersion(CATALOG.find((t) => t.family === 'flux')!)).toBeUndefined();
  });
});

describe('Every Wan 2.7 host', () => {
  it('is the standard Wan 2.7 model once per vendor, computed from the catalog', () => {
    const sel = resolvePreset(preset('wan27-hosts'), everything);
    const vendors = sel.selected.map((t) => t.provider);
    expect(new Set(vendors).size).toBe(vendors.length);
    expect(vendors).toEqual(expect.arrayContaining(['dashscope', 'wavespeed', 'kie', 'replicate', 'fal', 'atlascloud']));
    for (const t of sel.selected) {
      expect(wanVersion(t)).toBe('2.7');
      expect(t.model).not.toMatch(/pro/i);
    }
    // Every vendor with a standard Wan 2.7 target is in, so a new host joins on its own.
    const hosts = new Set(CATALOG.filter((t) => wanVersion(t) === '2.7' && !/pro/i.test(t.model)).map((t) => t.provider));
    expect(sel.selected.length + sel.overLimit.length).toBe(hosts.size);
    expect(presetButtonLabel(sel)).toBe(`Every Wan 2.7 host (${sel.selected.length})`);
  });

  it('selects only configured vendors and names the skipped ones with the key that turns them on', () => {
    const sel = resolvePreset(
      preset('wan27-hosts'),
      studio((p) => p === 'dashscope' || p === 'atlascloud'),
    );
    expect(ids(sel.selected)).toEqual(['dashscope:wan2.7-image', 'atlascloud:alibaba/wan-2.7/image-edit']);
    expect(sel.skipped.map((t) => t.provider)).toContain('wavespeed');
    const text = describePreset(sel);
    expect(text).toContain('Selects Wan 2.7 image (DashScope), Wan 2.7 image edit (Atlas Cloud');
    expect(text).toContain('Skipped, not configured:');
    expect(text).toContain('(add WAVESPEED_API_KEY to .env)');
    expect(presetButtonLabel(sel)).toBe('Every Wan 2.7 host (2)');
  });

  it('never selects more than the per-run limit, and says what it left out', () => {
    const sel = resolvePreset(preset('wan27-hosts'), everything, undefined, 3);
    expect(sel.selected).toHaveLength(3);
    expect(sel.overLimit.length).toBeGreaterThan(0);
    expect(describePreset(sel)).toContain('over the 3-target limit per run');
    for (const p of TARGET_PRESETS) expect(resolvePreset(p, everything).selected.length).toBeLessThanOrEqual(MAX_TARGETS);
  });
});

describe('Wan 2.1 vs 2.7', () => {
  it('pairs Alibaba’s Wan 2.1 image edit with Wan 2.7 from the same vendor', () => {
    const sel = resolvePreset(preset('wan21-vs-27'), everything);
    expect(ids(sel.selected)).toEqual(['dashscope:wanx2.1-imageedit', 'dashscope:wan2.7-image']);
  });

  it('selects nothing and says why when DashScope is not configured', () => {
    const sel = resolvePreset(
      preset('wan21-vs-27'),
      studio((p) => p !== 'dashscope'),
    );
    expect(sel.selected).toEqual([]);
    expect(ids(sel.skipped)).toEqual(['dashscope:wanx2.1-imageedit', 'dashscope:wan2.7-image']);
    expect(describePreset(sel)).toContain('Selects nothing');
    expect(describePreset(sel)).toContain('add DASHSCOPE_API_KEY to .env');
  });

  it('falls back to another configured Wan 2.7 host when the 2.1 vendor has no 2.7 of its own', () => {
    const only21 = [
      target('dashscope', 'wanx2.1-imageedit', 'Wan 2.1', 'wan', { maxReferences: 1 }),
      ...CATALOG.filter((t) => t.provider !== 'dashscope'),
    ];
    const sel = resolvePreset(preset('wan21-vs-27'), only21, (t) => t.provider !== 'wavespeed');
    expect(sel.selected[0]?.id).toBe('dashscope:wanx2.1-imageedit');
    expect(wanVersion(sel.selected[1]!)).toBe('2.7');
    expect(sel.selected[1]?.provider).not.toBe('wavespeed');
  });
});

describe('Best of each family', () => {
  it('is one top target per family: Wan, FLUX Kontext, GPT Image, SD 3.5', () => {
    const sel = resolvePreset(preset('best-of-families'), everything);
    expect(ids(sel.selected)).toEqual([
      'dashscope:wan2.7-image-pro',
      expect.stringMatching(/kontext.*max/i),
      'openai:gpt-image-1.5',
      'stability:sd3.5-large',
    ]);
    expect(sel.skipped).toEqual([]);
  });

  it('takes the best configured target of a family, and the family’s best as skipped when none is', () => {
    const sel = resolvePreset(
      preset('best-of-families'),
      studio((p) => p === 'wavespeed' || p === 'modelslab'),
    );
    expect(ids(sel.selected)).toEqual(['wavespeed:alibaba/wan-2.7/image-edit-pro', 'modelslab:flux-kontext-dev']);
    expect(ids(sel.skipped)).toEqual(['openai:gpt-image-1.5', 'stability:sd3.5-large']);
  });
});

describe('every preset', () => {
  it('names only catalog targets, none twice', () => {
    for (const p of TARGET_PRESETS) {
      const members = p.members(CATALOG, () => true);
      expect(new Set(ids(members)).size).toBe(members.length);
      for (const t of members) expect(CATALOG).toContain(t);
    }
  });
});
