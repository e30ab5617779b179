'use client';

import { FileArchive, Loader2 } from 'lucide-react';
import { useState } from 'react';
import { MAX_EXPORT_SELECTION } from '@/lib/schemas/export';
import type { ApiErrorBody } from '@/lib/schemas/result';
import { Button } from '../ui/button';

type Props = { galleryId?: string; variationIds?: string[] };

/**
 * "Export zip": a gallery, or a selection of variations, with a manifest and provenance in
 * each image. The export is checked first (a refusal shows here, not as a broken download),
 * then the browser downloads the streamed zip straight to disk.
 */
export function ExportButton({ galleryId, variationIds }: Props) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const selection = galleryId === undefined;
  const ids = variationIds ?? [];
  if (selection && ids.length === 0) return null;
  const tooMany = selection && ids.length > MAX_EXPORT_SELECTION;
  const url = selection
    ? `/api/export?ids=${ids.map(encodeURIComponent).join(',')}`
    : `/api/galleries/${encodeURIComponent(galleryId)}/export`;

  const start = async () => {
    setState({ busy: true, error: null });
    try {
      const res = await fetch(`${url}${selection ? '&' : '?'}check=1`, { headers: { 'X-Proofsheet': '1' }, cache: 'no-store' });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as ApiErrorBody | null;
        return setState({ busy: false, error: body?.error.message ?? `The export could not start (HTTP ${res.status}).` });
      }
      const a = document.createElement('a');
      a.href = url;
      a.download = '';
      a.click();
      setState({ busy: false, error: null });
    } catch {
      setState({ busy: false, error: 'The server did not answer; try again.' });
    }
  };

  return (
    <div className="inline-flex flex-col gap-1">
      {/* The small size of the buttons beside it (bulk bar; Share and Blind on the gallery page). */}
      <Button
        size="sm"
        onClick={() => void start()}
        disabled={state.busy || tooMany}
        title={tooMany ? `Export at most ${MAX_EXPORT_SELECTION} variations at once, or put them in a gallery.` : undefined}
      >
        {state.busy ? <Loader2 size={12} className="animate-spin" aria-hidden /> : <FileArchive size={12} aria-hidden />}
        Export zip
      </Button>
      {state.error && (
        <p role="alert" className="max-w-xs text-xs text-danger">
          {state.error}
        </p>
      )}
    </div>
  );
}
