'use client';

import { useId, useState, useTransition } from 'react';
import { createTokenAction, revokeTokenAction } from '@/app/(studio)/settings/tokens/actions';
import type { CreatedToken, TokenSummary } from '@/lib/schemas/api';
import { Button } from '../ui/button';

const SCOPES = [
  { id: 'read', label: 'Read', hint: 'list and read sessions, runs and outputs' },
  { id: 'run', label: 'Run', hint: 'also upload, create and cancel runs' },
  { id: 'admin', label: 'Admin', hint: 'everything, including tokens' },
] as const;
type Scope = (typeof SCOPES)[number]['id'];

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : 'never';
}

/** Create (shown once, with a copy button) and revoke API tokens. */
export function TokenManager({ initial }: { initial: TokenSummary[] }) {
  const [tokens, setTokens] = useState(initial);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['run']);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const nameId = useId();

  const create = () =>
    start(async () => {
      setError(null);
      const result = await createTokenAction({ name, scopes });
      if (!result.ok) return setError(result.error.message);
      setCreated(result.data);
      setTokens((list) => [result.data.summary, ...list]);
      setName('');
    });

  const revoke = (token: TokenSummary) =>
    start(async () => {
      if (!window.confirm(`Revoke “${token.name}”? Pipelines using it will get 401 at once.`)) return;
      const result = await revokeTokenAction({ tokenId: token.id });
      if (!result.ok) return setError(result.error.message);
      setTokens((list) => list.map((t) => (t.id === token.id ? result.data : t)));
    });

  return (
    <div className="mt-6 space-y-6">
      <form
        className="space-y-3 rounded-lg border border-line bg-panel p-4"
        onSubmit={(e) => {
          e.preventDefault();
          create();
        }}
      >
        <div>
          <label htmlFor={nameId} className="block text-sm font-medium">
            Token name
          </label>
          <input
            id={nameId}
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={80}
            required
            placeholder="e.g. catalog pipeline"
            className="mt-1 h-9 w-full max-w-sm rounded-md border border-line bg-canvas px-2 text-sm"
          />
        </div>
        <fieldset>
          <legend className="text-sm font-medium">Scopes</legend>
          <div className="mt-1 flex flex-wrap gap-4">
            {SCOPES.map((s) => (
              <label key={s.id} className="flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  checked={scopes.includes(s.id)}
                  onChange={(e) => setScopes((list) => (e.target.checked ? [...list, s.id] : list.filter((x) => x !== s.id)))}
                />
                {s.label} <span className="text-muted">({s.hint})</span>
              </label>
            ))}
          </div>
        </fieldset>
        {error && (
          <p role="alert" className="text-sm text-danger">
            {error}
          </p>
        )}
        <Button type="submit" variant="primary" disabled={pending || name.trim() === '' || scopes.length === 0}>
          Create token
        </Button>
      </form>

      {created && <CreatedPanel created={created} onDone={() => setCreated(null)} />}

      <table className="w-full text-left text-sm">
        <caption className="sr-only">API tokens</caption>
        <thead className="text-muted">
          <tr>
            <th className="py-2 font-medium">Name</th>
            <th className="font-medium">Token</th>
            <th className="font-medium">Scopes</th>
            <th className="font-medium">Created</th>
            <th className="font-medium">Last used</th>
            <th className="font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.length === 0 && (
            <tr>
              <td colSpan={6} className="py-3 text-muted">
                No tokens yet.
              </td>
            </tr>
          )}
          {tokens.map((t) => (
            <tr key={t.id} className="border-t border-line" data-testid="token-row">
              <td className="py-2">{t.name}</td>
              <td>
                <code>ps_{t.prefix}_…</code>
              </td>
              <td>{t.scopes.join(', ')}</td>
              <td>{when(t.createdAt)}</td>
              <td>{when(t.lastUsedAt)}</td>
              <td className="text-right">
                {t.revokedAt ? (
                  <span className="text-muted">Revoked</span>
                ) : (
                  <Button size="sm" onClick={() => revoke(t)} disabled={pending} aria-label={`Revoke ${t.name}`}>
                    Revoke
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CreatedPanel({ created, onDone }: { created: CreatedToken; onDone: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async (label: string, value: string) => {
    await navigator.clipboard.writeText(value);
    setCopied(label);
  };
  return (
    <section aria-labelledby="new-token-title" className="space-y-3 rounded-lg border border-accent bg-panel p-4">
      <h2 id="new-token-title" className="font-semibold">
        Token “{created.summary.name}” created
      </h2>
      <p className="text-sm text-muted">
        Copy it now: it is not shown again. The webhook secret signs the webhooks of runs created with this token.
      </p>
      {[
        { label: 'API token', value: created.token, testId: 'new-token' },
        { label: 'Webhook secret', value: created.webhookSecret, testId: 'new-webhook-secret' },
      ].map((s) => (
        <div key={s.label} className="flex items-center gap-2">
          <span className="w-32 text-sm">{s.label}</span>
          <code data-testid={s.testId} className="flex-1 break-all rounded bg-canvas px-2 py-1 text-xs">
            {s.value}
          </code>
          <Button size="sm" onClick={() => void copy(s.label, s.value)} aria-label={`Copy ${s.label.toLowerCase()}`}>
            {copied === s.label ? 'Copied' : 'Copy'}
          </Button>
        </div>
      ))}
      <Button size="sm" variant="ghost" onClick={onDone}>
        Done
      </Button>
    </section>
  );
}
