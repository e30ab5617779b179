'use client';

import { ChevronLeft, ChevronRight, Download, Pin, RotateCcw, X, ZoomIn, ZoomOut } from 'lucide-react';
import type { CompareModeId } from '@/lib/compare/selection';
import type { CompareCandidate } from '@/lib/schemas/compare';
import { assetUrl } from '@/lib/schemas/run';
import { Button } from '../../ui/button';
import { IconButton } from '../../ui/icon-button';
import { ModeRadiogroup } from './mode-radiogroup';

const selectClass = 'max-w-56 rounded border border-line bg-panel px-2 py-1 text-xs text-ink';

type SelectionProps = {
  title: string;
  references: CompareCandidate[];
  candidates: CompareCandidate[];
  a: CompareCandidate;
  b: CompareCandidate;
  bChoices: CompareCandidate[];
  onPickA: (key: string) => void;
  onPickB: (key: string) => void;
  onStep: (delta: 1 | -1) => void;
  onPinB: () => void;
  onClose?: () => void;
};

/** Who is A, who is B, stepping B, pinning, download and close. */
export function SelectionBar(p: SelectionProps) {
  const index = p.bChoices.findIndex((c) => c.key === p.b.key);
  const canStep = p.bChoices.length > 1;
  return (
    <header className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-line px-4 py-2.5">
      <h2 className="text-sm font-semibold">{p.title}</h2>
      <label className="flex items-center gap-1.5 text-xs text-muted">
        <span aria-hidden>A</span>
        <select aria-label="Compare A" value={p.a.key} onChange={(e) => p.onPickA(e.target.value)} className={selectClass}>
          {p.references.length > 0 && <Options label="References" items={p.references} />}
          {/* A host may list references among the candidates too (the tray does): show them once. */}
          <Options label="Candidates" items={p.candidates.filter((c) => !p.references.some((r) => r.key === c.key))} />
        </select>
      </label>
      <label className="flex items-center gap-1.5 text-xs text-muted">
        <span aria-hidden>B</span>
        <select aria-label="Compare B" value={p.b.key} onChange={(e) => p.onPickB(e.target.value)} className={selectClass}>
          {p.bChoices.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <div className="flex items-center gap-1">
        <IconButton label="Previous candidate" onClick={() => p.onStep(-1)} disabled={!canStep}>
          <ChevronLeft size={16} />
        </IconButton>
        <span className="min-w-12 text-center font-mono text-xs tabular-nums text-muted" aria-live="polite">
          {index + 1} / {p.bChoices.length}
        </span>
        <IconButton label="Next candidate" onClick={() => p.onStep(1)} disabled={!canStep}>
          <ChevronRight size={16} />
        </IconButton>
      </div>
      <Button size="sm" aria-label="Pin B as A" title="Pin B as A (P)" onClick={p.onPinB} disabled={p.a.key === p.b.key}>
        <Pin size={13} aria-hidden />
        Pin as A
      </Button>
      <div className="ml-auto flex items-center gap-1">
        <a
          href={`${assetUrl(p.b.asset.sha256, 'original')}?download=${encodeURIComponent(downloadName(p.b))}`}
          download
          aria-label={`Download ${p.b.label}`}
          title="Download B"
          className="inline-flex size-8 items-center justify-center rounded-md text-muted hover:bg-raised hover:text-ink"
        >
          <Download size={16} />
        </a>
        {p.onClose && (
          <IconButton label="Close compare" onClick={p.onClose}>
            <X size={16} />
          </IconButton>
        )}
      </div>
    </header>
  );
}

function Options({ label, items }: { label: string; items: CompareCandidate[] }) {
  return (
    <optgroup label={label}>
      {items.map((c) => (
        <option key={c.key} value={c.key}>
          {c.label}
        </option>
      ))}
    </optgroup>
  );
}

/** Same names as the studio's downloads; the asset route accepts `[\w.\- ]{1,120}`. */
function downloadName(c: CompareCandidate): string {
  const f = c.facts;
  if (f.runNumber !== undefined && f.provider && f.seed !== undefined) return `proofsheet-run${f.runNumber}-${f.provider}-seed${f.seed}`;
  const name = c.label
    .replace(/[^\w.\- ]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-. ]+|[-. ]+$/g, '')
    .slice(0, 100);
  return `proofsheet-${name || 'image'}`;
}

type ViewProps = {
  mode: CompareModeId;
  onMode: (m: CompareModeId) => void;
  zoomPercent: number;
  onZoomIn: () => void;
  onZoomOut: () => void;
  onResetZoom: () => void;
};

/** Mode switch and the shared zoom readout. */
export function ViewBar(p: ViewProps) {
  return (
    <div className="flex flex-wrap items-center gap-3 px-4 pt-3">
      <ModeRadiogroup mode={p.mode} onMode={p.onMode} />
      <fieldset className="ml-auto flex items-center gap-1" aria-label="Zoom">
        <IconButton label="Zoom out" onClick={p.onZoomOut}>
          <ZoomOut size={16} />
        </IconButton>
        <output className="min-w-12 text-center font-mono text-xs tabular-nums text-muted" aria-label="Zoom level">
          {p.zoomPercent}%
        </output>
        <IconButton label="Zoom in" onClick={p.onZoomIn}>
          <ZoomIn size={16} />
        </IconButton>
        <Button size="sm" variant="ghost" onClick={p.onResetZoom} aria-label="Reset zoom" title="Reset zoom (0, or double-click)">
          <RotateCcw size={13} aria-hidden />
          Fit
        </Button>
      </fieldset>
    </div>
  );
}
