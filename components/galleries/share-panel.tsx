'use client';

/** Placeholder mounted by the gallery page; its owner replaces it (issue 10). */
export function SharePanel(_props: { galleryId: string }) {
  return null;
}
