'use client';

import { useEffect } from 'react';

/** Ctrl/Cmd+V anywhere in the studio adds images from the clipboard. */
export function usePaste(onFiles: (files: File[]) => void): void {
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const files = [...(e.clipboardData?.files ?? [])];
      if (files.length === 0) return;
      e.preventDefault();
      onFiles(files);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [onFiles]);
}
