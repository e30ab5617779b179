'use client';

import { useCallback, useMemo, useState } from 'react';
import { useToast } from '@/components/ui/toaster';
import { createUndoStack, type UndoEntry, type UndoStack } from './undo';

export type UndoService<T = undefined> = UndoStack<T> & {
  /** A toast saying what was done, whose "Undo" button plays back exactly this entry. */
  offer: (entry: Pick<UndoEntry<T>, 'id'>, message: string, durationMs?: number) => void;
};

/** An undo stack for this component's life (see ./undo.ts), with toasts that use it. */
export function useUndo<T = undefined>(): UndoService<T> {
  const toast = useToast();
  const [stack] = useState(() => createUndoStack<T>());
  const offer = useCallback(
    (entry: Pick<UndoEntry<T>, 'id'>, message: string, durationMs?: number) =>
      toast({ message, action: { label: 'Undo', onClick: () => void stack.undo(entry.id) }, durationMs }),
    [stack, toast],
  );
  return useMemo(() => ({ ...stack, offer }), [stack, offer]);
}
