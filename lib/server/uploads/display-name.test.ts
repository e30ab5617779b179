import { describe, expect, it } from 'vitest';
import { displayName, MAX_DISPLAY_NAME } from './display-name';

describe('displayName', () => {
  it('passes an ordinary name through', () => {
    expect(displayName('Holiday photo (1).jpg')).toBe('Holiday photo (1).jpg');
    expect(displayName('café-东京.png')).toBe('café-东京.png');
  });

  it('turns CR, LF, tabs and other controls into single spaces', () => {
    expect(displayName('a\r\nSet-Cookie: x\t\u0000\u0085b.png')).toBe('a Set-Cookie: x b.png');
  });

  it('removes bidi overrides, embeddings, isolates and marks (gpj.exe reads as exe.jpg)', () => {
    const tricks = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';
    expect(displayName(`invoice${tricks}gpj.exe`)).toBe('invoicegpj.exe');
  });

  it('removes zero-width characters, the BOM, soft hyphens and tag characters', () => {
    expect(displayName('\ufeffa\u200bb\u200cc\u200dd\u2060e\u00adf\u{e0041}.png')).toBe('abcdef.png');
  });

  it('cuts to 80 characters with an ellipsis, never splitting a surrogate pair', () => {
    const long = `${'😀'.repeat(100)}.png`;
    const shown = displayName(long);
    expect(Array.from(shown)).toHaveLength(MAX_DISPLAY_NAME);
    expect(shown.endsWith('😀…')).toBe(true);
    expect(shown.isWellFormed()).toBe(true);
    expect(displayName('x'.repeat(80))).toBe('x'.repeat(80));
    expect(displayName('x'.repeat(81))).toBe(`${'x'.repeat(79)}…`);
  });

  it('says "image" when nothing printable is left', () => {
    expect(displayName('')).toBe('image');
    expect(displayName(undefined)).toBe('image');
    expect(displayName('\u202e\r\n\u200b')).toBe('image');
  });

  it('composes decomposed accents (NFC) so the count is of what is seen', () => {
    expect(displayName('e\u0301.png')).toBe('é.png');
  });
});
