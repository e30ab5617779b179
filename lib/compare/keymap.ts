/**
 * The compare workspace's keyboard map, as a pure function so it can be tested and so the
 * "do not hijack form controls" rules live in one place. Culling keys (1–5 rate, S star,
 * X reject, Z undo) are returned only when the host can cull (`culling: true`), the same keys
 * as the culling grid.
 */
export type WorkspaceAction =
  | 'previous'
  | 'next'
  | 'cycle-mode'
  | 'cycle-mode-back'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-reset'
  | 'pin-b'
  | 'close'
  | 'rate-1'
  | 'rate-2'
  | 'rate-3'
  | 'rate-4'
  | 'rate-5'
  | 'star'
  | 'reject'
  | 'undo';

type KeyTarget = { tagName: string; type?: string; role?: string | null; isContentEditable?: boolean };
export type KeyInput = {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
  target?: KeyTarget | null;
  /** The host handles culling keys for B. */
  culling?: boolean;
};

/** Keys a range input uses itself; they must reach it. */
const RANGE_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

export const KEYMAP_HELP: [keys: string, what: string][] = [
  ['← →', 'step B'],
  ['P', 'pin B as A'],
  ['M', 'next mode'],
  ['+ − 0', 'zoom, reset'],
  ['Esc', 'close'],
];

export function workspaceAction(e: KeyInput): WorkspaceAction | null {
  const t = e.target;
  const tag = t?.tagName.toUpperCase() ?? '';
  if (e.key === 'Escape') return 'close';
  // Browser shortcuts (Ctrl/⌘ + / − / 0 zoom the page, Alt+← goes back) stay the browser's.
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (t?.isContentEditable || tag === 'SELECT' || tag === 'TEXTAREA') return null;
  if (tag === 'INPUT' && (t?.type ?? 'text').toLowerCase() !== 'range') return null;
  if (tag === 'INPUT' && RANGE_KEYS.has(e.key)) return null;
  // Arrow keys move between radios in a radiogroup (ARIA pattern); leave them to it.
  if (t?.role === 'radio' && RANGE_KEYS.has(e.key)) return null;
  if (e.culling) {
    if (/^[1-5]$/.test(e.key)) return `rate-${e.key}` as WorkspaceAction;
    const cull: Record<string, WorkspaceAction> = { s: 'star', S: 'star', x: 'reject', X: 'reject', z: 'undo', Z: 'undo' };
    if (cull[e.key]) return cull[e.key]!;
  }
  switch (e.key) {
    case 'ArrowLeft':
      return 'previous';
    case 'ArrowRight':
      return 'next';
    case 'm':
      return 'cycle-mode';
    case 'M':
      return e.shiftKey ? 'cycle-mode-back' : 'cycle-mode';
    case '+':
    case '=':
      return 'zoom-in';
    case '-':
    case '_':
      return 'zoom-out';
    case '0':
      return 'zoom-reset';
    case 'p':
    case 'P':
      return 'pin-b';
    default:
      return null;
  }
}
