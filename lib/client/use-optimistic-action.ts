'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useToast } from '@/components/ui/toaster';
import { optimisticMutationOptions, startCall, type OptimisticConfig } from './optimistic';

/**
 * A server action as an optimistic TanStack mutation (see ./optimistic.ts for the rules).
 * `run(input)` resolves true once saved, false once rolled back and reported; `start(input)`
 * also says when the patch is on screen, for callers that must wait for it (the grid's lane).
 * Calls may overlap: each is its own mutation, rolled back on its own.
 */
export function useOptimisticAction<TInput, TData>(config: OptimisticConfig<TInput, TData>) {
  const qc = useQueryClient();
  const toast = useToast();
  const { mutateAsync } = useMutation(optimisticMutationOptions(qc, toast, config));
  const start = (input: TInput) => startCall(mutateAsync, input);
  return { start, run: (input: TInput) => start(input).saved };
}
