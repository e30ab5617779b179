import 'server-only';
import { COLOUR_MODIFIERS, NAMED_COLOURS } from './color-names';
import { between, type Rng } from './prng';

export type Rgb = { r: number; g: number; b: number };

/** A colour the user named, kept with the words they used so steps can quote them. */
export type NamedColour = { rgb: Rgb; label: string; exact: boolean };

const clamp255 = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
const clamp01 = (v: number) => Math.max(0, Math.min(1, v));

export function parseHex(text: string): Rgb | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text.trim());
  if (!m?.[1]) return null;
  let hex = m[1];
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const n = Number.parseInt(hex, 16);
  return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 };
}

export function toHex({ r, g, b }: Rgb): string {
  return `#${[r, g, b].map((v) => clamp255(v).toString(16).padStart(2, '0')).join('')}`;
}

type Hsl = { h: number; s: number; l: number };

function rgbToHsl({ r, g, b }: Rgb): Hsl {
  const rn = r / 255;
  const gn = g / 255;
  const bn = b / 255;
  const max = Math.max(rn, gn, bn);
  const min = Math.min(rn, gn, bn);
  const l = (max + min) / 2;
  if (max === min) return { h: 0, s: 0, l };
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  let h: number;
  if (max === rn) h = (gn - bn) / d + (gn < bn ? 6 : 0);
  else if (max === gn) h = (bn - rn) / d + 2;
  else h = (rn - gn) / d + 4;
  return { h: h / 6, s, l };
}

function hslToRgb({ h, s, l }: Hsl): Rgb {
  if (s === 0) return { r: clamp255(l * 255), g: clamp255(l * 255), b: clamp255(l * 255) };
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const hue = (t: number) => {
    let x = t;
    if (x < 0) x += 1;
    if (x > 1) x -= 1;
    if (x < 1 / 6) return p + (q - p) * 6 * x;
    if (x < 1 / 2) return q;
    if (x < 2 / 3) return p + (q - p) * (2 / 3 - x) * 6;
    return p;
  };
  return { r: clamp255(hue(h + 1 / 3) * 255), g: clamp255(hue(h) * 255), b: clamp255(hue(h - 1 / 3) * 255) };
}

function adjust(rgb: Rgb, dLight: number, dSat: number): Rgb {
  const hsl = rgbToHsl(rgb);
  return hslToRgb({ h: hsl.h, s: clamp01(hsl.s * (1 + dSat)), l: clamp01(hsl.l + dLight) });
}

/**
 * A nearby shade of a named colour: the instruction said "navy", not which navy, so the seed
 * picks within a small lightness/saturation range. Exact colours (hex) are never moved.
 */
export function seededShade(colour: NamedColour, rng: Rng): Rgb {
  if (colour.exact) return colour.rgb;
  const hsl = rgbToHsl(colour.rgb);
  // Near-black and near-white stay near their end, otherwise "white" drifts to grey.
  const room = Math.min(hsl.l, 1 - hsl.l);
  // In HSL a lightness step moves a saturated colour's main channel by twice as much, so
  // ±0.025 keeps every channel within about ±13 of the named value.
  const dl = between(rng, -1, 1) * Math.min(0.025, room * 0.3 + 0.005);
  const ds = between(rng, -0.08, 0.08);
  return hslToRgb({ h: hsl.h, s: clamp01(hsl.s * (1 + ds)), l: clamp01(hsl.l + dl) });
}

/** A lighter or darker companion, used for a one-colour gradient and the studio backdrop. */
export function shiftLightness(rgb: Rgb, delta: number): Rgb {
  return adjust(rgb, delta, 0);
}

export function luma({ r, g, b }: Rgb): number {
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Reads a colour starting at words[start]: "#1e3a8a", "navy", "navy blue", "light blue",
 * "dark sea green". Returns how many words it used, or null.
 */
export function readColour(words: readonly string[], start: number): { colour: NamedColour; used: number } | null {
  const first = words[start];
  if (!first) return null;
  const hex = /^#[0-9a-f]{3}(?:[0-9a-f]{3})?$/i.test(first) ? parseHex(first) : null;
  if (hex) return { colour: { rgb: hex, label: first.toLowerCase(), exact: true }, used: 1 };

  // Longest run of words that names a colour when joined ("dark slate grey" -> darkslategrey).
  for (let n = Math.min(3, words.length - start); n >= 1; n -= 1) {
    const slice = words.slice(start, start + n);
    const hexName = NAMED_COLOURS.get(slice.join('').replace(/-/g, ''));
    if (hexName) {
      const rgb = parseHex(hexName);
      if (rgb) return { colour: { rgb, label: slice.join(' '), exact: false }, used: n };
    }
  }
  const modifier = COLOUR_MODIFIERS[first];
  if (modifier) {
    const rest = readColour(words, start + 1);
    if (rest && !rest.colour.exact) {
      return {
        colour: {
          rgb: adjust(rest.colour.rgb, modifier.light, modifier.sat),
          label: `${first} ${rest.colour.label}`,
          exact: false,
        },
        used: rest.used + 1,
      };
    }
  }
  return null;
}

export function describeColour(rgb: Rgb, colour?: NamedColour): string {
  const hex = toHex(rgb);
  return colour && !colour.exact ? `${hex} (${colour.label})` : hex;
}
