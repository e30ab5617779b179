import { describe, expect, it } from 'vitest';
import { addSafetyRuleSchema, patternProblem } from '@/lib/schemas/safety';
import { findBlocklistHit, matchesWord, testPattern, wordsOf } from './blocklist';

describe('word rules', () => {
  it.each([
    ['Brand-X', 'a poster for brand x shoes'],
    ['Brand-X', 'BRAND_X logo'],
    ['Brand-X', 'the brand.x mark'],
    ['Brand-X', 'brandx in neon'],
    ['brandx', 'make it look like Brand-X'],
    ['brand x', 'Brand-X, bigger'],
    ['ＢＲＡＮＤ', 'a brand new look'], // full-width letters fold under NFKC
    ['brand', 'ＢＲＡＮＤ stickers'],
    ['ﬁsh', 'a fish on a plate'], // the ligature folds to "fi"
    ['Nike', 'nike.'],
    ['café', 'Café au lait'],
  ])('“%s” matches “%s”', (rule, text) => {
    expect(matchesWord(rule, text)).toBe(true);
  });

  it.each([
    ['Brand-X', 'brand-xylophone'],
    ['brandx', 'subbrandx'],
    ['ass', 'a class on brass'],
    ['cat', 'concatenate'],
    ['café', 'a cafe'], // accents are kept: different words
    ['brand x', 'brand y x'],
  ])('“%s” does not match “%s”', (rule, text) => {
    expect(matchesWord(rule, text)).toBe(false);
  });

  it('matches scripts without spaces as substrings', () => {
    expect(matchesWord('商标', '请把这个商标去掉')).toBe(true);
    expect(matchesWord('商标', '请把这个标志去掉')).toBe(false);
  });

  it('splits on anything but letters, digits and marks', () => {
    expect(wordsOf('Ｈello—wörld_2!')).toEqual(['hello', 'wörld', '2']);
  });
});

describe('pattern rules', () => {
  it('matches case-insensitively on NFKC text', () => {
    expect(testPattern('sku-\\d{4}', 'remove SKU-1234 from the label')).toBe('match');
    expect(testPattern('sku-\\d{4}', 'ＳＫＵ-１２３４')).toBe('match');
    expect(testPattern('sku-\\d{4}', 'sku-12')).toBe('no-match');
  });

  it('stops a runaway pattern at the time limit', () => {
    const started = Date.now();
    expect(testPattern('^(a+)+$', `${'a'.repeat(40)}!`, 30)).toBe('timed-out');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it.each([
    ['(a+)+', /repeated group/],
    ['(\\w*)*x', /repeated group/],
    ['(a|ab)*c', /repeated group/],
    ['((ab)+)+', /repeated group/],
    ['(a+){2,}', /repeated group/],
    ['(x)\\1', /Back-references/],
    ['(?<n>x)\\k<n>', /Back-references/],
    ['[unclosed', /Not a valid regular expression/],
    ['a'.repeat(201), /under 200/],
  ])('refuses %s at save', (source, message) => {
    expect(patternProblem(source)).toMatch(message);
  });

  it.each(['(cat|dog)s?', '(?:ab)+', 'sku-\\d{4}', '[a+|]+', '\\(a+\\)+', '(a+)?', '(ab){1}', '\\bbrand[-_ ]?x\\b', '(?=a)b'])(
    'accepts %s',
    (source) => {
      expect(patternProblem(source)).toBeUndefined();
    },
  );

  it('the form schema refuses an empty word and a bad pattern with field messages', () => {
    expect(addSafetyRuleSchema.safeParse({ kind: 'word', value: '  - ' }).success).toBe(false);
    const bad = addSafetyRuleSchema.safeParse({ kind: 'pattern', value: '(a+)+' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['value']);
    expect(addSafetyRuleSchema.parse({ kind: 'word', value: ' Brand-X ' })).toEqual({ kind: 'word', value: 'Brand-X' });
  });
});

describe('findBlocklistHit', () => {
  const rules = [
    { id: 'p1', kind: 'pattern' as const, value: 'sku-\\d+' },
    { id: 'w1', kind: 'word' as const, value: 'Brand-X' },
  ];

  it('checks words first, then patterns, in the instruction and the negative prompt', () => {
    const hit = findBlocklistHit(rules, { instruction: 'add sku-9 and brand x', negativePrompt: '' });
    expect(hit?.rule.id).toBe('w1');
    expect(hit?.field).toBe('instruction');
    expect(hit?.reason).toBe('The instruction contains the blocked term “Brand-X”.');
    const negative = findBlocklistHit(rules, { instruction: 'a clean shoe', negativePrompt: 'no SKU-12' });
    expect(negative).toMatchObject({ field: 'negativePrompt', rule: { id: 'p1' } });
    expect(negative?.reason).toContain('negative prompt matches the blocked pattern /sku-\\d+/');
  });

  it('passes clean texts', () => {
    expect(findBlocklistHit(rules, { instruction: 'brand new sneakers', negativePrompt: 'blur' })).toBeUndefined();
    expect(findBlocklistHit([], { instruction: 'anything', negativePrompt: '' })).toBeUndefined();
  });
});
