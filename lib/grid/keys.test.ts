import { describe, expect, it } from 'vitest';
import { gridColumns, keyCommand, moveFocus, type KeyInput } from './keys';

const key = (k: string, over: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...over,
});

describe('keyCommand', () => {
  it('maps the culling keys', () => {
    expect(keyCommand(key('3'))).toEqual({ type: 'rate', value: 3 });
    expect(keyCommand(key('0'))).toEqual({ type: 'rate', value: 0 });
    expect(keyCommand(key('6'))).toBeNull();
    expect(keyCommand(key('S'))).toEqual({ type: 'star' });
    expect(keyCommand(key('x'))).toEqual({ type: 'reject' });
    expect(keyCommand(key('Delete'))).toEqual({ type: 'reject' });
    expect(keyCommand(key('z'))).toEqual({ type: 'undo' });
    expect(keyCommand(key('z', { metaKey: true }))).toEqual({ type: 'undo' });
    expect(keyCommand(key('Enter'))).toEqual({ type: 'open' });
    expect(keyCommand(key(' '))).toEqual({ type: 'toggleSelect' });
    expect(keyCommand(key('a', { ctrlKey: true }))).toEqual({ type: 'selectAll' });
    expect(keyCommand(key('Escape'))).toEqual({ type: 'clearSelection' });
  });

  it('leaves browser shortcuts and Alt combinations alone', () => {
    expect(keyCommand(key('s', { ctrlKey: true }))).toBeNull();
    expect(keyCommand(key('r', { metaKey: true }))).toBeNull();
    expect(keyCommand(key('1', { altKey: true }))).toBeNull();
    expect(keyCommand(key('ArrowLeft', { metaKey: true }))).toBeNull();
  });

  it('maps movement, with Ctrl for the grid ends and Shift to extend', () => {
    expect(keyCommand(key('ArrowDown', { shiftKey: true }))).toEqual({ type: 'move', to: 'down', extend: true });
    expect(keyCommand(key('Home'))).toEqual({ type: 'move', to: 'rowStart', extend: false });
    expect(keyCommand(key('End', { ctrlKey: true }))).toEqual({ type: 'move', to: 'last', extend: false });
  });
});

describe('moveFocus', () => {
  // 4 columns, 10 items: rows [0-3] [4-7] [8-9].
  const m = (i: number, to: Parameters<typeof moveFocus>[1], pageRows = 2) => moveFocus(i, to, 4, 10, pageRows);

  it('moves by cells and rows, clamped', () => {
    expect(m(0, 'left')).toBe(0);
    expect(m(3, 'right')).toBe(4);
    expect(m(9, 'right')).toBe(9);
    expect(m(1, 'down')).toBe(5);
    expect(m(2, 'up')).toBe(2);
    expect(m(6, 'up')).toBe(2);
  });

  it('lands on the short last row from the cell above a gap', () => {
    expect(m(7, 'down')).toBe(9);
    expect(m(9, 'down')).toBe(9);
  });

  it('goes to row ends and grid ends', () => {
    expect(m(6, 'rowStart')).toBe(4);
    expect(m(5, 'rowEnd')).toBe(7);
    expect(m(8, 'rowEnd')).toBe(9);
    expect(m(5, 'first')).toBe(0);
    expect(m(5, 'last')).toBe(9);
  });

  it('pages by screenfuls, keeping the column', () => {
    expect(m(1, 'pageDown')).toBe(9);
    expect(m(1, 'pageDown', 1)).toBe(5);
    expect(m(9, 'pageUp')).toBe(1);
    expect(m(5, 'pageUp', 5)).toBe(1);
    expect(moveFocus(0, 'down', 4, 0, 1)).toBe(0);
  });
});

describe('gridColumns', () => {
  it('fits as many ~180 px columns as the width allows and fills the row', () => {
    expect(gridColumns(1000, 180, 8)).toEqual({ cols: 5, cell: 193 });
    expect(gridColumns(375, 180, 8)).toEqual({ cols: 2, cell: 183 });
    expect(gridColumns(100, 180, 8)).toEqual({ cols: 1, cell: 100 });
  });
});
