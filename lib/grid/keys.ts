/**
 * The culling grid's keyboard map and layout arithmetic. Pure, so the map is tested without a DOM.
 */
export type KeyInput = { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean };

export type MoveKey = 'left' | 'right' | 'up' | 'down' | 'rowStart' | 'rowEnd' | 'first' | 'last' | 'pageUp' | 'pageDown';

export type GridCommand =
  | { type: 'move'; to: MoveKey; extend: boolean }
  | { type: 'rate'; value: 0 | 1 | 2 | 3 | 4 | 5 }
  | { type: 'star' }
  | { type: 'reject' }
  | { type: 'undo' }
  | { type: 'open' }
  | { type: 'toggleSelect' }
  | { type: 'selectAll' }
  | { type: 'clearSelection' };

const ARROWS: Record<string, MoveKey> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
};

/**
 * ←/→/↑/↓ move by a cell or a row, Home/End to the row's ends, Ctrl+Home/End to the first and last
 * loaded cell (the ARIA grid pattern), PageUp/PageDown by a screenful; Shift extends the selection.
 * 1–5 rate, 0 clears, S stars, X or Delete rejects, Z (or Ctrl/Cmd+Z) undoes, Enter opens, Space
 * toggles selection, Ctrl/Cmd+A selects all loaded, Escape clears the selection. Alt is left alone.
 */
export function keyCommand(e: KeyInput): GridCommand | null {
  if (e.altKey) return null;
  const mod = e.ctrlKey || e.metaKey;
  const arrow = ARROWS[e.key];
  if (arrow) return mod ? null : { type: 'move', to: arrow, extend: e.shiftKey };
  if (e.key === 'Home' || e.key === 'End') {
    const to: MoveKey = e.key === 'Home' ? (mod ? 'first' : 'rowStart') : mod ? 'last' : 'rowEnd';
    return { type: 'move', to, extend: e.shiftKey };
  }
  const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod) {
    if (k === 'a' && !e.shiftKey) return { type: 'selectAll' };
    if (k === 'z' && !e.shiftKey) return { type: 'undo' };
    return null;
  }
  if (/^[0-5]$/.test(k) && !e.shiftKey) return { type: 'rate', value: Number(k) as 0 | 1 | 2 | 3 | 4 | 5 };
  switch (k) {
    case 's':
      return { type: 'star' };
    case 'x':
    case 'Delete':
      return { type: 'reject' };
    case 'z':
      return { type: 'undo' };
    case 'Enter':
      return { type: 'open' };
    case ' ':
      return { type: 'toggleSelect' };
    case 'Escape':
      return { type: 'clearSelection' };
    default:
      return null;
  }
}

/** The cell the focus lands on, clamped to the loaded items. `pageRows`: rows per screenful. */
export function moveFocus(index: number, to: MoveKey, cols: number, count: number, pageRows: number): number {
  if (count === 0) return 0;
  const c = Math.max(1, cols);
  const rowStart = index - (index % c);
  const next = (() => {
    switch (to) {
      case 'left':
        return index - 1;
      case 'right':
        return index + 1;
      case 'up':
        return index - c < 0 ? index : index - c;
      case 'down':
        // From a full row onto the short last row: land on its last cell, not nowhere.
        return rowStart + c >= count ? index : Math.min(index + c, count - 1);
      case 'rowStart':
        return rowStart;
      case 'rowEnd':
        return rowStart + c - 1;
      case 'first':
        return 0;
      case 'last':
        return count - 1;
      case 'pageUp':
        return index - c * Math.max(1, pageRows);
      case 'pageDown':
        return index + c * Math.max(1, pageRows);
    }
  })();
  if (to === 'pageUp') return next < 0 ? index % c : next;
  if (to === 'pageDown' && next >= count) return Math.min(count - 1, (Math.ceil(count / c) - 1) * c + (index % c));
  return Math.min(count - 1, Math.max(0, next));
}

/** As many columns of at least `minCell` px as fit, widened to fill the row exactly. */
export function gridColumns(width: number, minCell: number, gap: number): { cols: number; cell: number } {
  const cols = Math.max(1, Math.floor((width + gap) / (minCell + gap)));
  const cell = Math.max(1, Math.floor((width - gap * (cols - 1)) / cols));
  return { cols, cell };
}
