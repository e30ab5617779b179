'use client';

import { useState, type KeyboardEvent } from 'react';
import { describeCandidate, differingFacts } from '@/lib/compare/differences';
import { KEYMAP_HELP, workspaceAction, type WorkspaceAction } from '@/lib/compare/keymap';
import { bOptions, cycleMode, pinA, resolvePair, stepB, type CompareModeId } from '@/lib/compare/selection';
import { zoomPercent } from '@/lib/compare/zoom';
import type { CompareCandidate } from '@/lib/schemas/compare';
import { DifferenceView } from './difference-view';
import { FactChips } from './fact-chips';
import { FadeView } from './fade-view';
import { ReferenceStrip } from './reference-strip';
import { SideBySideView } from './side-by-side-view';
import { SliderView } from './slider-view';
import { useFocusKeeper } from './use-focus-keeper';
import { useZoomPan } from './use-zoom-pan';
import { SelectionBar, ViewBar } from './workspace-toolbar';

export type CompareWorkspaceProps = {
  /** What B steps through (and A may be pinned to): variations from any run or provider. */
  candidates: CompareCandidate[];
  /** Reference images: always visible in the bottom strip, pinnable as A. */
  references: CompareCandidate[];
  initialA?: string;
  initialB?: string;
  /** Called on Esc and on the close button (hidden when absent). */
  onClose?: () => void;
  title?: string;
  /** Culling B from the keyboard (1–5 rate, S star, X reject, Z undo); absent = no culling keys. */
  onCull?: (b: CompareCandidate, action: CullAction) => void;
  /** B's current star and rating, shown beside the keys. */
  cullState?: (key: string) => { starred: boolean; rating: number | null } | undefined;
};

export type CullAction = { type: 'rate'; rating: number } | { type: 'star' } | { type: 'reject' } | { type: 'undo' };

/**
 * A/B compare filling its container (a page or a <dialog>). A is pinned, B steps through the
 * candidates; four modes share one synchronised zoom/pan, kept while B changes so the same
 * detail can be checked across every candidate.
 */
export function CompareWorkspace({
  candidates,
  references,
  initialA,
  initialB,
  onClose,
  title = 'Compare',
  onCull,
  cullState,
}: CompareWorkspaceProps) {
  // State, not a ref: the focus keeper re-attaches if the root element is replaced (empty ↔ full).
  const [root, setRoot] = useState<HTMLElement | null>(null);
  const [keys, setKeys] = useState(() => {
    const p = resolvePair(candidates, references, initialA, initialB);
    return { aKey: p?.a.key ?? '', bKey: p?.b.key ?? '' };
  });
  const [mode, setMode] = useState<CompareModeId>('side');
  const [sliderPosition, setSliderPosition] = useState(50);
  const [fadeAmount, setFadeAmount] = useState(50);
  const zoom = useZoomPan();

  // Keys are resolved on every render, so a candidate removed upstream never leaves a dangling pane.
  const pair = resolvePair(candidates, references, keys.aKey, keys.bKey);
  const bChoices = pair ? bOptions(candidates, pair.a.key) : [];

  useFocusKeeper(root);

  if (!pair) {
    return (
      <div
        ref={setRoot}
        tabIndex={-1}
        onKeyDown={(e) => {
          if (e.key !== 'Escape' || !onClose) return;
          e.preventDefault();
          onClose();
        }}
        className="flex h-full items-center justify-center p-8 text-sm text-muted outline-none"
        role="status"
      >
        Nothing to compare yet: finish a variation first.
      </div>
    );
  }
  const { a, b } = pair;
  const facts = differingFacts([a, b]);

  const pin = (key: string) => setKeys(pinA(candidates, key, b.key));
  const step = (delta: 1 | -1) => setKeys({ aKey: a.key, bKey: stepB(bChoices, b.key, delta) });

  const perform = (action: WorkspaceAction) => {
    if (action === 'previous') step(-1);
    else if (action === 'next') step(1);
    else if (action === 'cycle-mode') setMode((m) => cycleMode(m, 1));
    else if (action === 'cycle-mode-back') setMode((m) => cycleMode(m, -1));
    else if (action === 'zoom-in') zoom.zoomIn();
    else if (action === 'zoom-out') zoom.zoomOut();
    else if (action === 'zoom-reset') zoom.reset();
    else if (action === 'pin-b') pin(b.key);
    else if (action === 'close') onClose?.();
    else if (onCull && b.kind === 'variation') {
      if (action.startsWith('rate-')) onCull(b, { type: 'rate', rating: Number(action.slice(5)) });
      else if (action === 'star') onCull(b, { type: 'star' });
      else if (action === 'undo') onCull(b, { type: 'undo' });
      else if (action === 'reject') {
        // The rejected image leaves the candidates: move B on first.
        step(1);
        onCull(b, { type: 'reject' });
      }
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.defaultPrevented) return;
    const el = e.target as HTMLElement;
    const action = workspaceAction({
      key: e.key,
      ctrlKey: e.ctrlKey,
      metaKey: e.metaKey,
      altKey: e.altKey,
      shiftKey: e.shiftKey,
      culling: Boolean(onCull),
      target: {
        tagName: el.tagName,
        type: el instanceof HTMLInputElement ? el.type : undefined,
        role: el.getAttribute('role'),
        isContentEditable: el.isContentEditable,
      },
    });
    // Without onClose, Esc is left to the host (a <dialog> closes itself natively).
    if (!action || (action === 'close' && !onClose)) return;
    // Prevent also stops a hosting <dialog> from cancelling itself on Esc, so onClose runs once.
    e.preventDefault();
    perform(action);
  };

  return (
    <section
      ref={setRoot}
      tabIndex={-1}
      onKeyDown={onKeyDown}
      aria-label={title}
      aria-keyshortcuts={`ArrowLeft ArrowRight M P + - 0 Escape${onCull ? ' 1 2 3 4 5 S X Z' : ''}`}
      className="flex h-full min-h-0 flex-col bg-canvas text-ink outline-none"
    >
      <SelectionBar
        title={title}
        references={references}
        candidates={candidates}
        a={a}
        b={b}
        bChoices={bChoices}
        onPickA={pin}
        onPickB={(key) => setKeys({ aKey: a.key, bKey: key })}
        onStep={step}
        onPinB={() => pin(b.key)}
        onClose={onClose}
      />
      <ViewBar
        mode={mode}
        onMode={setMode}
        zoomPercent={zoomPercent(zoom.transform)}
        onZoomIn={zoom.zoomIn}
        onZoomOut={zoom.zoomOut}
        onResetZoom={zoom.reset}
      />
      <div className="min-h-0 flex-1 px-4 py-3">
        {mode === 'side' && <SideBySideView zoom={zoom} a={a} b={b} />}
        {mode === 'slider' && <SliderView zoom={zoom} a={a} b={b} position={sliderPosition} onPosition={setSliderPosition} />}
        {mode === 'fade' && <FadeView zoom={zoom} a={a} b={b} amount={fadeAmount} onAmount={setFadeAmount} />}
        {mode === 'difference' && <DifferenceView zoom={zoom} a={a} b={b} />}
      </div>
      <footer className="flex flex-col gap-2 border-t border-line px-4 py-2.5">
        <PairFacts a={a} b={b} facts={facts} />
        <div className="flex flex-wrap items-end justify-between gap-3">
          <ReferenceStrip references={references} aKey={a.key} onPin={pin} />
          <p className="ml-auto text-[11px] text-faint">
            {onCull && b.kind === 'variation' && <BState state={cullState?.(b.key)} />}
            {KEYMAP_HELP.map(([k, what]) => `${k} ${what}`).join(' · ')}
            {onCull ? ' · 1–5 rate B · S star · X reject · Z undo' : ''} · wheel zooms, drag pans, double-click fits
          </p>
        </div>
      </footer>
    </section>
  );
}

function BState({ state }: { state: { starred: boolean; rating: number | null } | undefined }) {
  if (!state) return null;
  return (
    <span className="mr-3 text-ink" role="status" aria-label="B is">
      B: {state.starred ? '★ starred' : 'not starred'} · {state.rating ? `rated ${state.rating} of 5` : 'not rated'}
      {' · '}
    </span>
  );
}

function PairFacts({ a, b, facts }: { a: CompareCandidate; b: CompareCandidate; facts: ReturnType<typeof differingFacts> }) {
  // Against a reference, "what differs" is only its kind; say what B is instead.
  const rows = (
    [
      ['A', facts.labels[a.key] ?? []],
      ['B', a.kind === 'reference' ? describeCandidate(b) : (facts.labels[b.key] ?? [])],
    ] as const
  ).filter(([, labels]) => labels.length > 0);
  if (a.key === b.key) return null;
  if (rows.length === 0) {
    return <p className="text-xs text-muted">A and B share provider, model, seed, prompt and parameters.</p>;
  }
  return (
    <dl className="grid grid-cols-[auto_1fr] items-start gap-x-2 gap-y-1 text-xs">
      {rows.map(([side, labels]) => (
        <div key={side} className="contents">
          <dt className="pt-0.5 font-semibold text-muted">{side}</dt>
          <dd>
            <FactChips labels={labels} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
