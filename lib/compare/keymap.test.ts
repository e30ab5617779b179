import { describe, expect, it } from 'vitest';
import { workspaceAction } from './keymap';

const on = (tagName: string, extra: { type?: string; role?: string } = {}) => ({ tagName, ...extra });

describe('workspaceAction', () => {
  it('maps the workspace keys', () => {
    const div = on('DIV');
    expect(workspaceAction({ key: 'ArrowLeft', target: div })).toBe('previous');
    expect(workspaceAction({ key: 'ArrowRight', target: div })).toBe('next');
    expect(workspaceAction({ key: 'm', target: div })).toBe('cycle-mode');
    expect(workspaceAction({ key: 'M', shiftKey: true, target: div })).toBe('cycle-mode-back');
    expect(workspaceAction({ key: '+', target: div })).toBe('zoom-in');
    expect(workspaceAction({ key: '=', target: div })).toBe('zoom-in');
    expect(workspaceAction({ key: '-', target: div })).toBe('zoom-out');
    expect(workspaceAction({ key: '0', target: div })).toBe('zoom-reset');
    expect(workspaceAction({ key: 'p', target: div })).toBe('pin-b');
    expect(workspaceAction({ key: 'Escape', target: div })).toBe('close');
  });

  it('leaves rating digits and browser shortcuts alone', () => {
    for (const key of ['1', '2', '3', '4', '5', '9']) expect(workspaceAction({ key, target: on('DIV') })).toBeNull();
    expect(workspaceAction({ key: '0', ctrlKey: true, target: on('DIV') })).toBeNull();
    expect(workspaceAction({ key: 'ArrowLeft', altKey: true, target: on('DIV') })).toBeNull();
  });

  it('does not hijack selects and text inputs, but Escape still closes', () => {
    expect(workspaceAction({ key: 'ArrowRight', target: on('SELECT') })).toBeNull();
    expect(workspaceAction({ key: 'm', target: on('INPUT', { type: 'text' }) })).toBeNull();
    expect(workspaceAction({ key: 'p', target: on('TEXTAREA') })).toBeNull();
    expect(workspaceAction({ key: 'Escape', target: on('SELECT') })).toBe('close');
  });

  it('lets range inputs and radios keep their arrow keys but not the other shortcuts', () => {
    expect(workspaceAction({ key: 'ArrowLeft', target: on('INPUT', { type: 'range' }) })).toBeNull();
    expect(workspaceAction({ key: 'Home', target: on('INPUT', { type: 'range' }) })).toBeNull();
    expect(workspaceAction({ key: 'm', target: on('INPUT', { type: 'range' }) })).toBe('cycle-mode');
    expect(workspaceAction({ key: 'ArrowRight', target: on('BUTTON', { role: 'radio' }) })).toBeNull();
    expect(workspaceAction({ key: 'ArrowRight', target: on('BUTTON') })).toBe('next');
  });
});

describe('culling keys', () => {
  const div = { tagName: 'DIV' };
  it('are B culling actions only when the host can cull', () => {
    expect(workspaceAction({ key: '3', target: div, culling: true })).toBe('rate-3');
    expect(workspaceAction({ key: 's', target: div, culling: true })).toBe('star');
    expect(workspaceAction({ key: 'X', target: div, culling: true })).toBe('reject');
    expect(workspaceAction({ key: 'z', target: div, culling: true })).toBe('undo');
    expect(workspaceAction({ key: '3', target: div })).toBeNull();
    expect(workspaceAction({ key: 's', target: div })).toBeNull();
    expect(workspaceAction({ key: '6', target: div, culling: true })).toBeNull();
  });
  it('never fire inside a text field', () => {
    expect(workspaceAction({ key: '3', target: { tagName: 'INPUT', type: 'text' }, culling: true })).toBeNull();
  });
});
