import { describe, expect, it } from 'vitest';
import { CATALOG, findTarget } from '@/lib/providers/catalog';
import { submitRunSchema } from '@/lib/schemas/run';
import { falInput } from '../providers/fal/wire';
import { buildInput } from '../providers/replicate/wire';
import type { EditRequest } from '../providers/types';
import { checkSafetyParams } from './params';

const KONTEXT_R = 'replicate:black-forest-labs/flux-kontext-pro';
const DEV_R = 'replicate:black-forest-labs/flux-dev';
const KONTEXT_F = 'fal:fal-ai/flux-pro/kontext';
const WAN_F = 'fal:fal-ai/wan/v2.7/edit';

const req = (model: string, safety?: number | boolean): EditRequest => ({
  model,
  prompt: 'p',
  images: [],
  seed: 1,
  outputFormat: 'png',
  idempotencyKey: 'k',
  safety,
});

describe('vendor safety settings in the catalog', () => {
  it('are visible with the vendor default on the models that expose one', () => {
    expect(findTarget(KONTEXT_R)?.capabilities.safety).toMatchObject({
      kind: 'level',
      field: 'safety_tolerance',
      min: 0,
      max: 2,
      default: 2,
    });
    expect(findTarget(KONTEXT_F)?.capabilities.safety).toMatchObject({ kind: 'level', min: 1, max: 6, default: 2 });
    expect(findTarget(DEV_R)?.capabilities.safety).toMatchObject({
      kind: 'checker',
      field: 'disable_safety_checker',
      invert: true,
      default: true,
    });
    expect(findTarget(WAN_F)?.capabilities.safety).toMatchObject({ kind: 'checker', field: 'enable_safety_checker', default: true });
    for (const t of CATALOG) {
      const s = t.capabilities.safety;
      if (s?.kind === 'level') expect(s.default).toBeGreaterThanOrEqual(s.min);
      if (s?.kind === 'level') expect(s.default).toBeLessThanOrEqual(s.max);
      if (s) expect(s.source).toMatch(/^https:\/\//);
    }
  });
});

describe('checkSafetyParams', () => {
  it('accepts values that fit each picked target', () => {
    expect(() => checkSafetyParams([KONTEXT_R, WAN_F], { [KONTEXT_R]: 0, [WAN_F]: false })).not.toThrow();
    expect(() => checkSafetyParams([KONTEXT_R], undefined)).not.toThrow();
  });

  it.each([
    [[KONTEXT_R], { [KONTEXT_R]: 3 }, /from 0 to 2/],
    [[KONTEXT_F], { [KONTEXT_F]: 0 }, /from 1 to 6/],
    [[KONTEXT_R], { [KONTEXT_R]: true }, /whole number/],
    [[WAN_F], { [WAN_F]: 1 }, /on or off/],
    [[KONTEXT_R], { [WAN_F]: true }, /no safety setting/], // not a picked target
    [['offline:engine-v1'], { 'offline:engine-v1': 1 }, /no safety setting/],
  ] as const)('refuses %j %j', (targets, safety, message) => {
    expect(() => checkSafetyParams([...targets], safety as Record<string, number | boolean>)).toThrow(message);
  });

  it('the run schema bounds the record', () => {
    expect(submitRunSchema.shape.safety.safeParse({ a: 11 }).success).toBe(false);
    expect(submitRunSchema.shape.safety.safeParse({ a: 1.5 }).success).toBe(false);
    expect(submitRunSchema.shape.safety.safeParse({ a: 2, b: false }).success).toBe(true);
  });
});

describe('adapters pass the setting through', () => {
  it('Replicate Kontext: safety_tolerance as chosen, 2 by default', () => {
    expect(buildInput(req('black-forest-labs/flux-kontext-pro', 0), ['data:x']).safety_tolerance).toBe(0);
    expect(buildInput(req('black-forest-labs/flux-kontext-pro'), ['data:x']).safety_tolerance).toBe(2);
  });

  it('Replicate FLUX dev: disable_safety_checker only when the checker is turned off', () => {
    expect(buildInput(req('black-forest-labs/flux-dev', false), ['data:x']).disable_safety_checker).toBe(true);
    expect(buildInput(req('black-forest-labs/flux-dev', true), ['data:x'])).not.toHaveProperty('disable_safety_checker');
    expect(buildInput(req('black-forest-labs/flux-dev'), ['data:x'])).not.toHaveProperty('disable_safety_checker');
  });

  it('fal Kontext: safety_tolerance as fal’s string enum; Wan: enable_safety_checker', () => {
    expect(falInput(req('fal-ai/flux-pro/kontext', 5), ['https://x/a.png']).safety_tolerance).toBe('5');
    expect(falInput(req('fal-ai/flux-pro/kontext'), ['https://x/a.png'])).not.toHaveProperty('safety_tolerance');
    expect(falInput(req('fal-ai/wan/v2.7/edit', false), ['https://x/a.png']).enable_safety_checker).toBe(false);
    expect(falInput(req('fal-ai/wan/v2.7/edit'), ['https://x/a.png'])).not.toHaveProperty('enable_safety_checker');
  });
});
