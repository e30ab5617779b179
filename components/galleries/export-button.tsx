'use client';

/** Placeholder mounted by the gallery page and selections; its owner replaces it (issue 10). */
export function ExportButton(_props: { galleryId?: string; variationIds?: string[] }) {
  return null;
}
