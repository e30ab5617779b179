'use client';

import { cn } from '@/lib/cn';
import { ChevronLeft, ChevronRight, ImagePlus, Loader2, X } from 'lucide-react';
import { useDropzone } from 'react-dropzone';
import { MAX_REFERENCES } from '@/lib/schemas/limits';
import { assetUrl } from '@/lib/schemas/run';
import { IconButton } from '../ui/icon-button';
import type { ReferenceItem } from './use-references';

type Props = {
  items: ReferenceItem[];
  onFiles: (files: File[]) => void;
  onRemove: (key: string) => void;
  onMove: (key: string, delta: -1 | 1) => void;
};

/** Drop, pick or paste up to four references; numbered so instructions can say "image 2". */
export function ReferenceTray({ items, onFiles, onRemove, onMove }: Props) {
  const { getRootProps, getInputProps, isDragActive, open } = useDropzone({
    // Type and size are checked on the server by content; accept everything here so a wrong
    // file gets a clear message instead of being silently ignored by the picker.
    onDrop: (accepted, rejected) => onFiles([...accepted, ...rejected.map((r) => r.file)]),
    noClick: true,
    noKeyboard: true,
    multiple: true,
  });
  const full = items.length >= MAX_REFERENCES;

  return (
    <div
      {...getRootProps({
        className: cn(
          'relative rounded-lg border border-dashed p-3 transition-colors',
          isDragActive ? 'border-accent bg-accent/5' : 'border-line bg-panel',
        ),
      })}
    >
      <input {...getInputProps({ 'aria-label': 'Reference images', accept: 'image/png,image/jpeg,image/webp' })} />
      {items.length === 0 ? (
        <button
          type="button"
          onClick={open}
          className="flex h-36 w-full flex-col items-center justify-center gap-2 rounded-md text-sm text-muted hover:bg-raised"
        >
          <ImagePlus size={22} aria-hidden />
          <span className="font-medium text-ink">Drop up to four images, or paste one</span>
          <span className="text-xs">JPEG, PNG or WebP · up to 10 MB each · or click to choose</span>
        </button>
      ) : (
        <ol className="grid max-w-lg grid-cols-4 gap-3" aria-label="References">
          {items.map((item, i) => (
            <li key={item.key} className="group relative">
              <div className="checker relative aspect-square overflow-hidden rounded-md border border-line">
                {item.asset || item.localUrl ? (
                  <img
                    src={item.asset ? assetUrl(item.asset.sha256, 'thumb') : item.localUrl}
                    // biome-ignore lint/a11y/noRedundantAlt: "Image 1" is the reference's name, the one instructions use ("put image 2 on image 1"), not a description of the media
                    alt={`Image ${i + 1}: ${item.name}`}
                    className="size-full object-contain"
                  />
                ) : null}
                {item.status === 'uploading' && (
                  <div className="absolute inset-0 flex items-center justify-center bg-black/30 text-white" role="status">
                    <Loader2 size={18} className="animate-spin" aria-hidden />
                    <span className="sr-only">Uploading {item.name}</span>
                  </div>
                )}
                <span className="absolute left-1.5 top-1.5 rounded bg-black/60 px-1.5 py-0.5 text-[11px] font-medium text-white">
                  Image {i + 1}
                </span>
                <div className="absolute right-1 top-1 flex gap-1 opacity-0 transition-opacity group-focus-within:opacity-100 group-hover:opacity-100">
                  <IconButton tone="overlay" className="size-6" label={`Remove image ${i + 1}`} onClick={() => onRemove(item.key)}>
                    <X size={13} />
                  </IconButton>
                </div>
                <div className="absolute bottom-1 right-1 flex gap-1 opacity-0 transition-opacity group-focus-within:opacity-100 group-hover:opacity-100">
                  <IconButton
                    tone="overlay"
                    className="size-6"
                    label={`Move image ${i + 1} left`}
                    disabled={i === 0}
                    onClick={() => onMove(item.key, -1)}
                  >
                    <ChevronLeft size={13} />
                  </IconButton>
                  <IconButton
                    tone="overlay"
                    className="size-6"
                    label={`Move image ${i + 1} right`}
                    disabled={i === items.length - 1}
                    onClick={() => onMove(item.key, 1)}
                  >
                    <ChevronRight size={13} />
                  </IconButton>
                </div>
              </div>
              <p className="mt-1 truncate text-xs text-muted" title={item.name}>
                {item.name}
              </p>
              {item.notes.map((n) => (
                <p key={n} className="text-[11px] leading-tight text-faint">
                  {n}
                </p>
              ))}
            </li>
          ))}
          {!full && (
            <li>
              <button
                type="button"
                onClick={open}
                className="flex aspect-square w-full flex-col items-center justify-center gap-1 rounded-md border border-dashed border-line text-xs text-muted hover:bg-raised"
              >
                <ImagePlus size={18} aria-hidden />
                Add image
              </button>
            </li>
          )}
        </ol>
      )}
      {isDragActive && (
        <div className="pointer-events-none absolute inset-0 flex items-center justify-center rounded-lg bg-accent/10 text-sm font-medium text-accent">
          Drop to add
        </div>
      )}
    </div>
  );
}
