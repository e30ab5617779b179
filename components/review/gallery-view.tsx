'use client';

import { ChevronLeft, ChevronRight, Columns2, Info } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { cn } from '@/lib/cn';
import { type ReviewerDto, type ReviewItemDto, VERDICT_LABEL, type Verdict } from '@/lib/schemas/review';
import { Button } from '../ui/button';
import { ItemDetails } from './item-details';
import { itemName, ReviewCompare } from './review-compare';
import { VERDICT_TONE, VerdictPanel } from './verdict-panel';

/** The latest verdict on a thumbnail, in its colour (the button's label says it in words). */
const VERDICT_GLYPH: Record<Verdict, string> = { approve: '✓', reject: '✕', changes: '!' };

const SWIPE_PX = 48;

/** True when a key press belongs to a text field, not to the gallery. */
function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

/** One item at a time, large: swipe or arrow keys to move, details on demand, verdicts below (phone) or beside (desktop). */
export function GalleryView({ base, items, reviewer }: { base: string; items: ReviewItemDto[]; reviewer: ReviewerDto | null }) {
  const [index, setIndex] = useState(0);
  const [details, setDetails] = useState(false);
  const [comparing, setComparing] = useState(false);
  const start = useRef<{ x: number; y: number; id: number } | null>(null);
  const count = items.length;
  const go = (delta: number) => setIndex((i) => Math.min(count - 1, Math.max(0, i + delta)));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (comparing || typing(e.target) || e.altKey || e.metaKey || e.ctrlKey) return;
      if (e.key === 'ArrowRight') setIndex((i) => Math.min(count - 1, i + 1));
      else if (e.key === 'ArrowLeft') setIndex((i) => Math.max(0, i - 1));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [count, comparing]);

  if (count === 0) return <p className="py-16 text-center text-sm text-muted">This gallery has no images yet.</p>;
  const item = items[Math.min(index, count - 1)]!;
  if (comparing) return <ReviewCompare items={items} initialA={index} onClose={() => setComparing(false)} />;

  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <section aria-label={`Image ${item.number} of ${count}`} className="min-w-0">
        <div
          className="checker relative flex h-[min(62dvh,52rem)] touch-pan-y select-none items-center justify-center overflow-hidden rounded-lg"
          onPointerDown={(e) => {
            // The arrow buttons keep their own clicks; anywhere else starts a swipe, captured so
            // the release counts even when the finger ends outside the frame.
            if (!e.isPrimary || (e.target as HTMLElement).closest('button')) return;
            start.current = { x: e.clientX, y: e.clientY, id: e.pointerId };
            e.currentTarget.setPointerCapture?.(e.pointerId);
          }}
          onPointerUp={(e) => {
            const s = start.current;
            start.current = null;
            if (!s || s.id !== e.pointerId) return;
            const dx = e.clientX - s.x;
            if (Math.abs(dx) > SWIPE_PX && Math.abs(dx) > Math.abs(e.clientY - s.y)) go(dx < 0 ? 1 : -1);
          }}
          onPointerCancel={() => {
            start.current = null;
          }}
        >
          <img key={item.id} src={item.previewUrl} alt={itemName(item)} className="size-full object-contain" draggable={false} />
          <Button
            aria-label="Previous image"
            onClick={() => go(-1)}
            disabled={index === 0}
            className="absolute top-1/2 left-2 size-11 -translate-y-1/2 rounded-full px-0 opacity-90"
          >
            <ChevronLeft size={20} aria-hidden />
          </Button>
          <Button
            aria-label="Next image"
            onClick={() => go(1)}
            disabled={index === count - 1}
            className="absolute top-1/2 right-2 size-11 -translate-y-1/2 rounded-full px-0 opacity-90"
          >
            <ChevronRight size={20} aria-hidden />
          </Button>
        </div>
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <p className="mr-auto min-w-0 text-sm text-ink">
            <span className="font-semibold tabular-nums">
              {item.number} / {count}
            </span>
            {item.caption && <span className="ml-2">{item.caption}</span>}
            {item.target && <span className="ml-2 text-muted">{item.target}</span>}
          </p>
          {item.details && (
            <Button size="sm" aria-expanded={details} onClick={() => setDetails((d) => !d)}>
              <Info size={14} aria-hidden /> Details
            </Button>
          )}
          {count > 1 && (
            <Button size="sm" onClick={() => setComparing(true)}>
              <Columns2 size={14} aria-hidden /> Compare
            </Button>
          )}
        </div>
        {details && item.details && <ItemDetails details={item.details} />}
        <nav aria-label="Images" className="mt-3 flex gap-2 overflow-x-auto pb-1">
          {items.map((it, i) => {
            const latest = it.verdicts.at(-1);
            return (
              <button
                key={it.id}
                type="button"
                aria-label={`Show image ${it.number}${latest ? ` (${VERDICT_LABEL[latest.verdict]})` : ''}`}
                aria-current={i === index ? 'true' : undefined}
                onClick={() => setIndex(i)}
                className={cn(
                  'relative size-14 shrink-0 overflow-hidden rounded-md border-2 bg-raised',
                  i === index ? 'border-accent' : 'border-transparent',
                )}
              >
                <img src={it.previewUrl.replace(/\/preview$/, '/thumb')} alt="" className="size-full object-cover" loading="lazy" />
                {latest && (
                  <span
                    className={cn(
                      'absolute right-0.5 bottom-0.5 rounded bg-panel/90 px-1 text-[10px] font-semibold',
                      VERDICT_TONE[latest.verdict],
                    )}
                  >
                    {VERDICT_GLYPH[latest.verdict]}
                  </span>
                )}
              </button>
            );
          })}
        </nav>
      </section>
      <aside className="min-w-0">
        <VerdictPanel key={item.id} base={base} item={item} reviewer={reviewer} />
      </aside>
    </div>
  );
}
