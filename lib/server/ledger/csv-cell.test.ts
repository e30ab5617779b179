import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv-cell';

describe('csv cells', () => {
  it('neutralises formulas at the start of a text cell', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
  });
  it('quotes separators, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });
  it('writes numbers as numbers and nothing for null', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(0.04)).toBe('0.04');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvLine(['x', 1, null])).toBe('x,1,\r\n');
  });
});
