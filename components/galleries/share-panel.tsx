'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Copy, Link2 } from 'lucide-react';
import { useId, useState } from 'react';
import { reviewKeys } from '@/lib/client/query-keys';
import { cn } from '@/lib/cn';
import { type CreatedShareDto, SHARE_EXPIRY, SHARE_EXPIRY_LABEL, type ShareExpiry, type ShareLinkDto } from '@/lib/schemas/review';
import { createShareAction, listSharesAction, revokeShareAction } from '@/lib/server/review/actions';
import { PanelDialog, unwrap } from '../review/panel-dialog';
import { Button } from '../ui/button';

const when = (iso: string | null, none: string) => (iso ? new Date(iso).toLocaleString() : none);
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;
const STATE_TONE: Record<ShareLinkDto['state'], string> = { active: 'text-ok', revoked: 'text-danger', expired: 'text-faint' };

/**
 * The designer's review links for one gallery: make one (with an expiry), copy it (shown once:
 * only its hash is stored), see when each was last used, revoke.
 */
export function SharePanel({ galleryId }: { galleryId: string }) {
  const [open, setOpen] = useState(false);
  const qc = useQueryClient();
  const [expiresIn, setExpiresIn] = useState<ShareExpiry>('7d');
  const [created, setCreated] = useState<CreatedShareDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const ids = useId();
  const links = useQuery({
    queryKey: reviewKeys.shares(galleryId),
    queryFn: () => unwrap(listSharesAction({ galleryId })),
    enabled: open,
  });
  const active = links.data?.filter((l) => l.state === 'active').length ?? 0;
  // Absolute when the studio has PUBLIC_BASE_URL; else this page's origin. A loopback host opens on this machine only.
  const url = created ? (created.url.startsWith('/') ? `${window.location.origin}${created.url}` : created.url) : '';
  const localOnly = !!url && LOOPBACK.test(new URL(url).hostname);

  const create = async () => {
    setBusy(true);
    const r = await createShareAction({ galleryId, expiresIn });
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setCopied(false);
    setCreated(r.data);
    void qc.invalidateQueries({ queryKey: reviewKeys.shares(galleryId) });
  };
  const revoke = async (link: ShareLinkDto) => {
    const r = await revokeShareAction({ shareId: link.id });
    if (!r.ok) return setError(r.error.message);
    if (created?.link.id === link.id) setCreated(null);
    void qc.invalidateQueries({ queryKey: reviewKeys.shares(galleryId) });
  };

  return (
    <>
      <Button
        size="sm"
        onClick={() => {
          // A link is shown once, right after it is made; reopening starts clean.
          setCreated(null);
          setOpen(true);
        }}
        aria-haspopup="dialog"
      >
        <Link2 size={12} aria-hidden /> Share
      </Button>
      <PanelDialog open={open} onClose={() => setOpen(false)} title="Share for review">
        <p className="text-sm text-muted">
          Anyone with a review link can see this gallery (and nothing else), approve, reject or comment, without an account.
        </p>
        <div className="flex flex-wrap items-end gap-2">
          <label htmlFor={`${ids}-exp`} className="text-sm">
            <span className="block font-medium">Link expires after</span>
            <select
              id={`${ids}-exp`}
              value={expiresIn}
              onChange={(e) => setExpiresIn(e.target.value as ShareExpiry)}
              className="mt-1 h-9 rounded-md border border-line bg-canvas px-2 text-sm"
            >
              {SHARE_EXPIRY.map((e) => (
                <option key={e} value={e}>
                  {SHARE_EXPIRY_LABEL[e]}
                </option>
              ))}
            </select>
          </label>
          <Button variant="primary" onClick={create} disabled={busy}>
            {active > 0 ? 'Make a new link' : 'Create review link'}
          </Button>
        </div>
        {created && (
          <div className="space-y-1.5 rounded-lg border border-accent/40 bg-raised p-3">
            <label htmlFor={`${ids}-url`} className="block text-sm font-medium">
              Review link
            </label>
            <div className="flex gap-2">
              <input
                id={`${ids}-url`}
                readOnly
                value={url}
                onFocus={(e) => e.currentTarget.select()}
                className="min-w-0 flex-1 rounded-md border border-line bg-canvas px-2 font-mono text-xs"
              />
              <Button
                size="sm"
                onClick={() =>
                  void navigator.clipboard?.writeText(url).then(
                    () => setCopied(true),
                    () => setCopied(false),
                  )
                }
              >
                <Copy size={12} aria-hidden /> {copied ? 'Copied' : 'Copy link'}
              </Button>
            </div>
            <p className="text-xs text-muted">Copy it now: only a hash is stored, so it cannot be shown again.</p>
            {localOnly && (
              <p role="note" className="rounded-md border border-amber-500/40 bg-amber-500/10 p-2 text-xs text-ink">
                This address opens on this computer only. For reviewers on other devices, run the studio with HOST, ACCESS_TOKEN and a
                PUBLIC_BASE_URL they can reach (see the README), then make a new link.
              </p>
            )}
          </div>
        )}
        {error && (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
        <section aria-labelledby={`${ids}-list`}>
          <h3 id={`${ids}-list`} className="text-sm font-semibold">
            Links
          </h3>
          {links.isPending ? (
            <p className="mt-1 text-sm text-muted">Loading…</p>
          ) : links.error ? (
            <p role="alert" className="mt-1 text-sm text-danger">
              {links.error.message}
            </p>
          ) : links.data.length === 0 ? (
            <p className="mt-1 text-sm text-muted">No links yet.</p>
          ) : (
            <ul aria-label="Review links" className="mt-2 divide-y divide-line text-sm">
              {links.data.map((l) => (
                <li key={l.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                  <span className={cn('font-medium capitalize', STATE_TONE[l.state])}>{l.state}</span>
                  <span className="text-muted">Created {when(l.createdAt, '')}</span>
                  <span className="text-muted">
                    {l.revokedAt ? `Revoked ${when(l.revokedAt, '')}` : `Expires ${when(l.expiresAt, 'never')}`}
                  </span>
                  <span className="text-muted">Last used {when(l.lastUsedAt, 'never')}</span>
                  {l.state === 'active' && (
                    <Button
                      size="sm"
                      className="ml-auto"
                      aria-label={`Revoke link created ${when(l.createdAt, '')}`}
                      onClick={() => revoke(l)}
                    >
                      Revoke
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      </PanelDialog>
    </>
  );
}
