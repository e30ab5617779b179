import { ArrowLeft, Download, GitFork } from 'lucide-react';
import Link from 'next/link';
import { findTarget, PROVIDERS, type ProviderId } from '@/lib/providers/catalog';
import { adviceFor } from '@/lib/schemas/errors';
import type { ProvenanceDto } from '@/lib/schemas/lineage';
import { assetUrl } from '@/lib/schemas/run';
import type { VariationReviewEntry } from '@/lib/schemas/gallery';
import { AddToGallery } from '../galleries/add-to-gallery';
import { ProvenancePath } from '../lineage/provenance-path';
import { between, formatMs, formatUsd } from '../studio/format';
import { VariationEdits } from './variation-edits';
import { VariationReviews } from './variation-reviews';
import { costSourceLabel } from '@/lib/schemas/ledger';

/** Everything about one image: what was sent, by whom, how long it took, what it cost, where it came from. */
export function ProvenancePage({ data, reviews }: { data: ProvenanceDto; reviews?: VariationReviewEntry[] }) {
  const { variation: v, path } = data;
  const { run } = data;
  const target = findTarget(v.targetId);
  const params = run.params;
  const label = `Variation ${v.index + 1} of run ${run.number} · ${target?.label ?? v.targetId} · seed ${v.seed}`;
  const facts: [string, string][] = [
    ['Provider', PROVIDERS[v.provider as ProviderId]?.label ?? v.provider],
    ['Model', v.model],
    ['Seed', String(v.seed)],
    ['Status', v.status],
    ['Size', params.size],
    ['Format', params.format.toUpperCase()],
    ['Variations per target', String(params.count)],
    ...(params.strength !== undefined ? ([['Strength', String(params.strength)]] as [string, string][]) : []),
    ...(params.guidance !== undefined ? ([['Guidance', String(params.guidance)]] as [string, string][]) : []),
    ['Queued', new Date(v.queuedAt).toLocaleString()],
    ['Waited in queue', fmt(between(v.queuedAt, v.startedAt))],
    ['Ran for', fmt(between(v.startedAt, v.finishedAt))],
    ['Cost', v.costUsd === null ? 'unknown' : `${formatUsd(v.costUsd)} (${costSourceLabel(v.costSource)})`],
    ...(v.jobId ? ([['Provider job id', v.jobId]] as [string, string][]) : []),
    ['Attempts', String(v.attempt + 1)],
  ];
  const adaptations = v.adaptations;

  return (
    <main className="mx-auto max-w-6xl px-6 py-6">
      <nav className="mb-4 flex items-center gap-4 text-sm">
        <Link href={`/s/${run.session.id}`} className="inline-flex items-center gap-1 text-muted hover:text-ink">
          <ArrowLeft size={14} aria-hidden /> {run.session.title}
        </Link>
        <Link href={`/s/${run.session.id}/lineage`} className="text-muted hover:text-ink">
          Lineage
        </Link>
      </nav>
      <h1 className="text-lg font-semibold tracking-tight">{label}</h1>
      <div className="mt-4 grid gap-6 lg:grid-cols-[minmax(0,1fr)_380px]">
        <div className="checker flex min-h-80 items-center justify-center overflow-hidden rounded-xl border border-line">
          {v.output ? (
            <img src={assetUrl(v.output.sha256, 'preview')} alt={label} className="max-h-[70vh] object-contain" />
          ) : (
            <p className="p-8 text-sm text-muted" role="alert">
              {v.errorCode ? `${v.errorCode}: ${v.errorMessage ?? ''} ${adviceFor(v.errorCode) ?? ''}` : 'No output yet.'}
            </p>
          )}
        </div>
        <aside className="space-y-4">
          <VariationEdits
            variation={{ id: v.id, starred: v.starred, rating: v.rating, note: v.note, assetId: v.output?.id ?? null }}
            label={label}
          />
          <div className="flex flex-wrap gap-2">
            {v.output && (
              <>
                <Link
                  href={`/s/${run.session.id}?fork=${v.id}`}
                  className="inline-flex h-9 items-center gap-1.5 rounded-md bg-accent px-3.5 text-sm font-medium text-accent-ink"
                >
                  <GitFork size={14} aria-hidden /> Fork from here
                </Link>
                <a
                  href={`${assetUrl(v.output.sha256, 'original')}?download=proofsheet-run${run.number}-${v.provider}-seed${v.seed}`}
                  download
                  className="inline-flex h-9 items-center gap-1.5 rounded-md border border-line px-3.5 text-sm"
                >
                  <Download size={14} aria-hidden /> Download
                </a>
                {v.status === 'succeeded' && <AddToGallery selection={{ variationIds: [v.id] }} className="h-9 px-3.5 text-sm" />}
              </>
            )}
          </div>
          {reviews && <VariationReviews entries={reviews} />}
          <section aria-label="Instruction" className="rounded-lg border border-line bg-panel p-3 text-sm">
            <h2 className="mb-1 text-xs font-medium text-muted">Instruction</h2>
            <p>{run.instruction}</p>
            {run.negativePrompt && <p className="mt-2 text-xs text-muted">Negative prompt: {run.negativePrompt}</p>}
          </section>
          <section aria-label="References">
            <h2 className="mb-1.5 text-xs font-medium text-muted">References</h2>
            <ol className="flex gap-2">
              {run.references.map((r) => (
                <li key={r.position} className="checker size-20 overflow-hidden rounded-md border border-line">
                  <img src={assetUrl(r.asset.sha256, 'thumb')} alt={`Reference ${r.position + 1}`} className="size-full object-cover" />
                </li>
              ))}
            </ol>
            {adaptations.map((a) => (
              <p key={a.message} className="mt-1.5 rounded bg-raised px-2 py-1 text-[11px] text-muted">
                {a.message}
              </p>
            ))}
          </section>
          <dl
            aria-label="Parameters and timings"
            className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-lg border border-line bg-panel p-3 text-xs"
          >
            {facts.map(([k, val]) => (
              <div key={k} className="contents">
                <dt className="text-muted">{k}</dt>
                <dd className="break-all text-ink">{val}</dd>
              </div>
            ))}
          </dl>
        </aside>
      </div>
      <section className="mt-8" aria-label="Provenance">
        <h2 className="mb-3 text-sm font-semibold">From the originals to this image</h2>
        <ProvenancePath steps={path} />
      </section>
    </main>
  );
}

function fmt(ms: number | null): string {
  return ms === null ? '—' : formatMs(ms);
}
