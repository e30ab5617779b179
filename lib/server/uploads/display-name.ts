import 'server-only';

/** Longest file name echoed in a message; the rest is cut with an ellipsis. */
export const MAX_DISPLAY_NAME = 80;

/**
 * Characters never echoed: C0 and C1 controls (CR/LF could forge log lines or headers), and the
 * invisible format characters that reorder or hide text (bidi embeddings, overrides and
 * isolates, marks, zero-width characters, the BOM, tag characters), with which `gpj.exe`
 * reads as `exe.jpg`.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's whole job (they are stripped from names)
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/gu;
const HIDDEN = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/gu;

/**
 * A client-sent file name made safe to show in a message: controls become spaces, hidden
 * characters are removed, runs of whitespace collapsed, cut to MAX_DISPLAY_NAME characters (whole code
 * points, so no half surrogate pair). Empty after that: "image".
 */
export function displayName(raw: string | null | undefined, max = MAX_DISPLAY_NAME): string {
  const cleaned = (raw ?? '').normalize('NFC').replace(CONTROLS, ' ').replace(HIDDEN, '').replace(/\s+/gu, ' ').trim();
  if (!cleaned) return 'image';
  const chars = Array.from(cleaned);
  return chars.length <= max
    ? cleaned
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
