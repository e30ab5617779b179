import { describe, expect, it } from 'vitest';
import { cn } from './cn';

describe('cn', () => {
  it('lets the later of two conflicting utilities win, whatever the stylesheet order', () => {
    expect(cn('h-9 px-3.5 text-sm', 'h-7 px-2')).toBe('text-sm h-7 px-2');
    expect(cn('bg-accent', false && 'bg-panel', undefined, ['rounded-md', { 'opacity-50': true }])).toBe('bg-accent rounded-md opacity-50');
  });
});
