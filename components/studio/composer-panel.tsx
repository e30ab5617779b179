'use client';

import { X } from 'lucide-react';
import { SessionHeader } from '../history/session-header';
import { EstimateSummary, EstimateWarnings, useRunEstimate } from '../ledger/estimate-note';
import { IconButton } from '../ui/icon-button';
import { Composer } from './composer';
import { EngineHelp } from './engine-help';
import { ProvenanceOffer } from './provenance-offer';
import { ReferenceTray } from './reference-tray';
import { useStudio } from './studio';
import type { DraftStatus } from './use-draft';

/** The session's name, references and the new-run form: what stays put while the views change. */
export function ComposerPanel() {
  const { session, refs, composer, targets, engineHelp, parentVariationId, clearParent, busy, error, submit, draftStatus } = useStudio();
  const estimate = useRunEstimate(
    {
      targets: composer.values.targets,
      count: composer.values.count,
      size: composer.values.size,
      referenceIds: refs.items.flatMap((i) => (i.asset ? [i.asset.id] : [])).slice(0, 1),
      sessionId: session.id,
    },
    busy,
  );
  return (
    <>
      <SessionHeader session={session} />
      <ReferenceTray items={refs.items} onFiles={refs.addFiles} onRemove={refs.remove} onMove={refs.move} />
      {refs.problems.length > 0 && (
        <ul className="space-y-1.5" aria-label="Upload problems">
          {refs.problems.map((p) => (
            <li
              key={p.key}
              role="alert"
              className="flex items-start gap-2 rounded-md border border-danger/40 bg-danger/10 px-2.5 py-1.5 text-xs text-danger"
            >
              <span className="flex-1">{p.message}</span>
              <IconButton label="Dismiss" className="size-5" onClick={() => refs.dismissProblem(p.key)}>
                <X size={12} />
              </IconButton>
            </li>
          ))}
        </ul>
      )}
      {/* Drop-back (issue 10): a reference exported from Proofsheet offers its history entry and settings. */}
      <ProvenanceOffer />
      {composer.source && (
        <p
          role="status"
          className="flex items-center justify-between gap-2 rounded-md border border-accent/40 bg-accent/10 px-2.5 py-1.5 text-xs text-ink"
        >
          Tweaking run {composer.source.number}: change one thing, then Generate.
          <button type="button" className="underline" onClick={() => composer.setSource(null)}>
            Stop tweaking
          </button>
        </p>
      )}
      {parentVariationId && (
        <p className="flex items-center justify-between rounded-md bg-raised px-2.5 py-1.5 text-xs text-muted">
          Next run continues from a variation.
          <button type="button" className="underline" onClick={clearParent}>
            Clear
          </button>
        </p>
      )}
      <Composer
        values={composer.values}
        onChange={composer.patch}
        targets={targets}
        referenceCount={refs.items.length}
        uploading={refs.items.some((i) => i.status === 'uploading')}
        busy={busy}
        error={error}
        draftNote={<DraftNote status={draftStatus} />}
        estimate={{ summary: <EstimateSummary estimate={estimate} />, warnings: <EstimateWarnings estimate={estimate} /> }}
        onSubmit={submit}
      />
      {composer.values.targets.includes('offline:engine-v1') && <EngineHelp examples={engineHelp} />}
    </>
  );
}

/** Quiet on purpose (no live region): it changes at every pause in typing. */
function DraftNote({ status }: { status: DraftStatus }) {
  if (status.state === 'idle') return null;
  if (status.state === 'failed') return <span className="text-danger">Draft not saved: {status.message}</span>;
  return <span>{status.state === 'saving' ? 'Saving draft…' : 'Draft saved'}</span>;
}
