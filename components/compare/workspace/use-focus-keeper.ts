'use client';

import { useEffect, useRef } from 'react';

/**
 * The workspace's keys are scoped to its root (digits and arrows belong to other UI outside it).
 * When the focused control unmounts inside it (the range input of a mode just switched away,
 * a button that became disabled), the browser drops focus to <body> and the keys would stop
 * working; this puts focus back on the root. Focus the user moved elsewhere is left alone.
 */
export function useFocusKeeper(el: HTMLElement | null) {
  const inside = useRef(false);

  useEffect(() => {
    if (!el) return;
    const onFocusIn = () => {
      inside.current = true;
    };
    const onFocusOut = (e: FocusEvent) => {
      if (e.relatedTarget instanceof Node && el.contains(e.relatedTarget)) return;
      inside.current = false;
      // Chromium fires focusout as a focused element is removed or disabled (Firefox does not:
      // the effect below covers it). Only then, once the DOM has settled, take focus back.
      const from = e.target;
      setTimeout(() => {
        const gone = from instanceof HTMLElement && (!from.isConnected || from.matches(':disabled'));
        if (gone && el.isConnected && isUnfocused()) el.focus({ preventScroll: true });
      }, 0);
    };
    el.addEventListener('focusin', onFocusIn);
    el.addEventListener('focusout', onFocusOut);
    // Take focus at once so the keys work, unless the host (e.g. a dialog) focused something inside.
    if (!el.contains(document.activeElement)) el.focus({ preventScroll: true });
    return () => {
      el.removeEventListener('focusin', onFocusIn);
      el.removeEventListener('focusout', onFocusOut);
    };
  }, [el]);

  // After every render: if what had focus inside is gone, focus the root again.
  useEffect(() => {
    if (el && inside.current && isUnfocused()) el.focus({ preventScroll: true });
  });
}

function isUnfocused(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}
