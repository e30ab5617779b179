'use client';

import clsx from 'clsx';
import { ChevronLeft, ChevronRight, Download, X } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { assetUrl, type AssetDto, type RunDto } from '@/lib/schemas/run';
import { IconButton } from '../ui/icon-button';
import { BeforeAfterSlider } from './before-after-slider';

export type CompareItem = { key: string; label: string; asset: AssetDto; kind: 'reference' | 'variation'; downloadName: string };

type Props = {
  run: RunDto;
  initialVariationId: string;
  targetLabel: (targetId: string) => string;
  runNumber: number;
  onClose: () => void;
};

/** A variation against a reference or another variation: side by side, or a before/after slider. */
export function CompareDialog({ run, initialVariationId, targetLabel, runNumber, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const items = useMemo(() => compareItems(run, targetLabel, runNumber), [run, targetLabel, runNumber]);
  const variations = items.filter((i) => i.kind === 'variation');
  const [bKey, setBKey] = useState(initialVariationId);
  const [aKey, setAKey] = useState(items[0]?.key ?? '');
  const [mode, setMode] = useState<'side' | 'slider'>('side');
  const a = items.find((i) => i.key === aKey) ?? items[0];
  const b = variations.find((i) => i.key === bKey) ?? variations[0];

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const step = (delta: number) => {
    if (!b || variations.length === 0) return;
    const i = variations.findIndex((v) => v.key === b.key);
    setBKey(variations[(i + delta + variations.length) % variations.length]!.key);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    const el = e.target as HTMLElement;
    if (el.tagName === 'SELECT' || (el instanceof HTMLInputElement && el.type === 'range')) return;
    if (e.key === 'ArrowRight') {
      e.preventDefault();
      step(1);
    } else if (e.key === 'ArrowLeft') {
      e.preventDefault();
      step(-1);
    }
  };

  if (!a || !b) return null;
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      onKeyDown={onKeyDown}
      aria-label="Compare"
      className="m-auto h-[92vh] w-[94vw] max-w-none rounded-xl border border-line bg-canvas p-0 text-ink"
    >
      <div className="flex h-full flex-col">
        <header className="flex flex-wrap items-center gap-3 border-b border-line px-4 py-2.5">
          <h2 className="text-sm font-semibold">Compare</h2>
          <label className="flex items-center gap-1.5 text-xs text-muted">
            A
            <select value={a.key} onChange={(e) => setAKey(e.target.value)} className="rounded border border-line bg-panel px-2 py-1 text-xs text-ink" aria-label="Compare A">
              {items.map((i) => (
                <option key={i.key} value={i.key}>
                  {i.label}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-1.5 text-xs text-muted">
            B
            <select value={b.key} onChange={(e) => setBKey(e.target.value)} className="rounded border border-line bg-panel px-2 py-1 text-xs text-ink" aria-label="Compare B">
              {variations.map((i) => (
                <option key={i.key} value={i.key}>
                  {i.label}
                </option>
              ))}
            </select>
          </label>
          <div role="radiogroup" aria-label="Compare mode" className="flex rounded-md border border-line p-0.5">
            {(['side', 'slider'] as const).map((m) => (
              <button
                key={m}
                type="button"
                role="radio"
                aria-checked={mode === m}
                onClick={() => setMode(m)}
                className={clsx('rounded px-2.5 py-1 text-xs', mode === m ? 'bg-raised text-ink' : 'text-muted hover:text-ink')}
              >
                {m === 'side' ? 'Side by side' : 'Slider'}
              </button>
            ))}
          </div>
          <div className="ml-auto flex items-center gap-1">
            <IconButton label="Previous variation" onClick={() => step(-1)}>
              <ChevronLeft size={16} />
            </IconButton>
            <span className="text-xs text-muted">
              {variations.findIndex((v) => v.key === b.key) + 1} / {variations.length}
            </span>
            <IconButton label="Next variation" onClick={() => step(1)}>
              <ChevronRight size={16} />
            </IconButton>
            <a
              href={`${assetUrl(b.asset.sha256, 'original')}?download=${encodeURIComponent(b.downloadName)}`}
              download
              className="inline-flex size-8 items-center justify-center rounded-md text-muted hover:bg-raised hover:text-ink"
              aria-label={`Download ${b.label}`}
              title="Download B"
            >
              <Download size={16} />
            </a>
            <IconButton label="Close compare" onClick={() => ref.current?.close()} autoFocus>
              <X size={16} />
            </IconButton>
          </div>
        </header>
        <div className="min-h-0 flex-1 p-4">
          {mode === 'side' ? (
            <div className="grid h-full grid-cols-2 gap-4">
              <Pane item={a} side="A" />
              <Pane item={b} side="B" />
            </div>
          ) : (
            <BeforeAfterSlider before={a} after={b} />
          )}
        </div>
        <p className="border-t border-line px-4 py-1.5 text-[11px] text-faint">← → step through variations · Esc closes</p>
      </div>
    </dialog>
  );
}

function Pane({ item, side }: { item: CompareItem; side: 'A' | 'B' }) {
  return (
    <figure className="flex min-h-0 flex-col">
      <div className="checker flex min-h-0 flex-1 items-center justify-center overflow-hidden rounded-lg">
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={assetUrl(item.asset.sha256, 'preview')} alt={item.label} className="max-h-full max-w-full object-contain" />
      </div>
      <figcaption className="mt-1.5 text-xs text-muted">
        <span className="font-semibold text-ink">{side}</span> · {item.label} · {item.asset.width}×{item.asset.height}
      </figcaption>
    </figure>
  );
}

export function compareItems(run: RunDto, targetLabel: (id: string) => string, runNumber: number): CompareItem[] {
  const refs: CompareItem[] = run.references.map((r) => ({
    key: `ref-${r.position}`,
    label: `Image ${r.position + 1} (reference)`,
    asset: r.asset,
    kind: 'reference',
    downloadName: `proofsheet-run${runNumber}-image${r.position + 1}`,
  }));
  const vars: CompareItem[] = run.variations
    .filter((v) => v.status === 'succeeded' && v.output)
    .map((v) => ({
      key: v.id,
      label: `Variation ${v.index + 1} · ${targetLabel(v.targetId)} · seed ${v.seed}`,
      asset: v.output!,
      kind: 'variation',
      downloadName: `proofsheet-run${runNumber}-${v.provider}-seed${v.seed}`,
    }));
  return [...refs, ...vars];
}
