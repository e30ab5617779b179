'use client';

import { useEffect } from 'react';
import { useStudio, type ForkRequest } from './studio';

/** Puts a forked output first in the references, once per visit (the studio remembers it). */
export function ApplyFork({ fork }: { fork: ForkRequest }) {
  const { applyFork } = useStudio();
  useEffect(() => applyFork(fork), [applyFork, fork]);
  return null;
}
