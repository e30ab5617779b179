// Shared by the provider contract tests (lib/server/providers/<vendor>/contract.test.ts), and by
// nothing else: the fake-server lifecycle, request contexts, and the expectations every
// adapter's contract repeats (typed errors that never leak a key, polling to a terminal
// state, one-shot output links, failure-mode tables). Vendor-specific checks stay in the
// test files; only what is the same for every vendor lives here.
import 'server-only';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { fakeImage, type FakeMode, type FakeServer } from '@/e2e/fakes/kit';
import { parseSize } from '@/lib/providers/catalog';
import type { CatalogTarget } from '@/lib/providers/target-kit';
import { resetEnvCache } from '@/lib/server/env';
import { guardedFetch, LIMITS } from '@/lib/server/net/fetch';
import { hostPortOf } from '@/lib/server/net/host-port';
import { ProviderError, type ProviderErrorCode } from '../errors';
import type { AdapterContext, EditRequest, ImageMime, InputImage, PollResult, ProviderAdapter, SubmitResult } from '../types';

/**
 * Starts the fake once for the file, closes it after, and resets it (mode `ok`, empty request
 * log, no jobs) before every test. Returns a getter because the server exists only once the
 * beforeAll hook has run; a file's own beforeAll registered after this one sees it running
 * (Vitest runs "before" hooks in the order they are registered).
 */
export function useFake(start: () => Promise<FakeServer>): () => FakeServer {
  let server: FakeServer | undefined;
  const current = (): FakeServer => {
    if (!server) throw new Error('The fake is not running: call the getter from a hook or a test.');
    return server;
  };
  let disallow: (() => void) | undefined;
  beforeAll(async () => {
    server = await start();
    disallow = allowOutbound(server.url);
  });
  afterAll(async () => {
    disallow?.();
    await server?.close();
  });
  beforeEach(() => current().reset());
  return current;
}

/**
 * The fakes listen on loopback, which the address guard refuses: this puts exactly the fake's
 * host:port on OUTBOUND_ALLOW_HOSTS, as a user would for a ComfyUI on the LAN. Returns the undo.
 */
export function allowOutbound(url: string): () => void {
  const key = hostPortOf(new URL(url));
  const set = (entries: string[]) => {
    process.env.OUTBOUND_ALLOW_HOSTS = entries.join(',');
    resetEnvCache();
  };
  const entries = () => (process.env.OUTBOUND_ALLOW_HOSTS ?? '').split(',').filter(Boolean);
  set([...entries(), key]);
  return () => set(entries().filter((e) => e !== key));
}

/** A fresh, never-aborted context, plus whatever a test adds (e.g. `publicUrlFor`). */
export function testCtx(more: Partial<AdapterContext> = {}): AdapterContext {
  return { signal: new AbortController().signal, ...more };
}

export type ErrorChecks = {
  /** Strings no error message may contain (API keys, tokens, their secret halves). */
  secrets?: readonly string[];
  /** Collects every message, for a file-wide "nothing leaked" check. */
  log?: string[];
};

/**
 * Expects the call to reject with a ProviderError (resolving, or throwing anything else,
 * fails the test) whose message holds none of the secrets. Pass a function where the call
 * must not start until the caller is ready; a promise where it already has.
 */
export async function expectProviderError(
  attempt: Promise<unknown> | (() => Promise<unknown>),
  { secrets = [], log }: ErrorChecks = {},
): Promise<ProviderError> {
  const promise = typeof attempt === 'function' ? Promise.resolve().then(attempt) : attempt;
  const thrown = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(thrown).toBeInstanceOf(ProviderError);
  const err = thrown as ProviderError;
  for (const secret of secrets) expect(err.message).not.toContain(secret);
  log?.push(err.message);
  return err;
}

/**
 * Collects the message of every error the file's tests see and, once they have all run,
 * asserts there were more than `moreThan` (so the check cannot pass by seeing nothing) and
 * that none holds the secret. Returns the checks to hand to the expectations here; push
 * messages of failed jobs (which are returned, not thrown) onto `log` yourself.
 */
export function useErrorLog(secret: string, { moreThan }: { moreThan: number }): Required<ErrorChecks> {
  const log: string[] = [];
  afterAll(() => {
    expect(log.length).toBeGreaterThan(moreThan);
    for (const m of log) expect(m).not.toContain(secret);
  });
  return { secrets: [secret], log };
}

/** The ProviderError fields a case may pin; a key present with `undefined` asserts the field is unset. */
type ErrorFields = {
  providerCode?: string | undefined;
  retryAfterMs?: number | undefined;
  blocked?: 'input' | 'output' | undefined;
  httpStatus?: number | undefined;
  retryable?: boolean;
};

/** Asserts each listed field exactly (unlike toMatchObject, no room for a subset match). */
function expectErrorFields(err: ProviderError, fields: ErrorFields): void {
  for (const [key, value] of Object.entries(fields)) {
    expect(err[key as keyof ErrorFields], `ProviderError.${key}`).toBe(value);
  }
}

/** One row of a failure-mode table: the fake's mode, the code it must map to, exact extra fields. */
export type FailureModeCase = readonly [mode: FakeMode, code: ProviderErrorCode, fields?: ErrorFields];

export type FailureModeOptions = ErrorChecks & {
  fake: () => FakeServer;
  /** The test's name, as the file named it before it shared this table runner. */
  title: (mode: FakeMode, code: ProviderErrorCode) => string;
  /** The call that must fail; started only after the mode is set. */
  attempt: () => Promise<unknown>;
  /** Vendor-specific checks on top of code and fields. */
  alsoExpect?: (err: ProviderError, mode: FakeMode) => void;
};

/**
 * The generic HTTP failures, which every fake produces the same way (401, 402, 429 with
 * Retry-After: 1, 5xx, a 200 whose body is not JSON): for vendors that map them with no
 * vendor-specific fields. Files add their own rows for the modes vendors answer differently.
 */
export const GENERIC_HTTP_FAILURES: readonly FailureModeCase[] = [
  ['auth', 'auth'],
  ['insufficient_funds', 'insufficient_funds'],
  ['rate_limit', 'rate_limited', { retryAfterMs: 1000 }],
  ['server_error', 'provider_error'],
  ['malformed_json', 'provider_error'],
];

/** One test per row: set the fake's mode, the call throws a ProviderError with that code and those fields. */
export function itMapsFailureModes(cases: readonly FailureModeCase[], opts: FailureModeOptions): void {
  for (const [mode, code, fields = {}] of cases) {
    it(opts.title(mode, code), async () => {
      opts.fake().setMode(mode);
      const err = await expectProviderError(opts.attempt, opts);
      expect(err.code).toBe(code);
      expectErrorFields(err, fields);
      opts.alsoExpect?.(err, mode);
    });
  }
}

/** A vendor that never answers must end in `timeout` (within `withinMs`, when given). */
export async function expectTimeout(
  fake: FakeServer,
  attempt: () => Promise<unknown>,
  { withinMs, ...checks }: ErrorChecks & { withinMs?: number } = {},
): Promise<ProviderError> {
  fake.setMode('hang');
  const started = Date.now();
  const err = await expectProviderError(attempt, checks);
  expect(err.code).toBe('timeout');
  if (withinMs !== undefined) expect(Date.now() - started).toBeLessThan(withinMs);
  return err;
}

/** A keyless adapter says it is unconfigured and refuses with `auth` before any HTTP call. */
export async function expectRefusedWithoutKey(
  keyless: ProviderAdapter,
  req: EditRequest,
  fake: FakeServer,
  checks: ErrorChecks = {},
): Promise<void> {
  expect(keyless.configured()).toBe(false);
  const err = await expectProviderError(keyless.submit(req, testCtx()), checks);
  expect(err.code).toBe('auth');
  expect(fake.requests).toHaveLength(0);
}

export type PendingSubmit = Extract<SubmitResult, { kind: 'pending' }>;
export type DoneSubmit = Extract<SubmitResult, { kind: 'done' }>;

/** Expects an asynchronous job, returned narrowed so the test can use its handle and id. */
export async function expectPending(result: Promise<SubmitResult>): Promise<PendingSubmit> {
  const r = await result;
  expect(r.kind).toBe('pending');
  if (r.kind !== 'pending') throw new Error('unreachable: expected a pending job');
  return r;
}

/** Expects the images at once (a synchronous vendor, or a job done within the wait). */
export async function expectDone(result: Promise<SubmitResult>): Promise<DoneSubmit> {
  const r = await result;
  expect(r.kind).toBe('done');
  if (r.kind !== 'done') throw new Error('unreachable: expected a done result');
  return r;
}

export type Succeeded = Extract<PollResult, { state: 'succeeded' }>;

export function expectSucceeded(result: PollResult | undefined): Succeeded {
  expect(result?.state).toBe('succeeded');
  if (result?.state !== 'succeeded') throw new Error('unreachable: expected success');
  return result;
}

/** Expects a failed job (not a thrown error) and returns its error. */
export function expectFailed(result: PollResult | undefined): ProviderError {
  expect(result?.state).toBe('failed');
  if (result?.state !== 'failed') throw new Error('unreachable: expected a failed job');
  return result.error;
}

export type PollRun = { seen: PollResult[]; states: PollResult['state'][]; last: PollResult };

/**
 * Polls until the job leaves queued/running (polls are instant against a fake) and returns
 * every result seen. More than `maxPolls` polls fails: the fakes finish in a few.
 */
export async function pollToEnd(adapter: ProviderAdapter, handle: string, { maxPolls = 10 }: { maxPolls?: number } = {}): Promise<PollRun> {
  const seen: PollResult[] = [];
  for (let i = 0; i < maxPolls; i++) {
    const r = await adapter.poll(handle, testCtx());
    seen.push(r);
    if (r.state !== 'queued' && r.state !== 'running') return { seen, states: seen.map((s) => s.state), last: r };
  }
  throw new Error(`The job was still ${seen.at(-1)?.state} after ${maxPolls} polls.`);
}

/**
 * A vendor error on one status poll is thrown, not reported as a failed job: the job lives
 * on. Returns the error and what the next poll (with the fake back to normal) sees.
 */
export async function failOnePoll(
  fake: FakeServer,
  adapter: ProviderAdapter,
  handle: string,
  mode: FakeMode,
  checks: ErrorChecks = {},
): Promise<{ error: ProviderError; next: PollResult }> {
  fake.setMode(mode, 1);
  const error = await expectProviderError(() => adapter.poll(handle, testCtx()), checks);
  return { error, next: await adapter.poll(handle, testCtx()) };
}

/**
 * Fetches an output link the way the app does, once: the fakes expire a link after its first
 * download (as fal, Replicate and DashScope links expire), so a second GET must be a 404.
 */
export async function downloadOnce(url: string): Promise<{ bytes: Buffer; contentType: string | null }> {
  const get = () => guardedFetch(url, { method: 'GET' }, { timeoutMs: 10_000, maxBytes: LIMITS.imageBytes, redirect: 'follow' });
  const first = await get();
  expect(first.status).toBe(200);
  expect((await get()).status).toBe(404);
  return { bytes: first.body, contentType: first.headers.get('content-type') };
}

/** Wraps image bytes as the adapter receives them (sha256 computed, not made up). */
export function toInputImage(bytes: Buffer, meta: { width: number; height: number; filename: string; mime?: ImageMime }): InputImage {
  const { width, height, filename, mime = 'image/png' } = meta;
  return { bytes, mime, width, height, filename, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** A real, seed-coloured reference image from the fakes' image maker. */
export async function fakeInput(
  seed: number,
  width: number,
  height: number,
  filename: string,
  format: 'png' | 'jpeg' = 'png',
): Promise<InputImage> {
  const bytes = await fakeImage(seed, width, height, format);
  return toInputImage(bytes, { width, height, filename, mime: format === 'png' ? 'image/png' : 'image/jpeg' });
}

/**
 * The request fields that push a catalog target to its own limits: as many references as it
 * takes at its smallest accepted side, its first fixed size, its first format.
 */
export async function atTargetLimits(
  target: CatalogTarget,
  image: (width: number, height: number) => Promise<InputImage>,
): Promise<Pick<EditRequest, 'model' | 'images'> & Partial<EditRequest>> {
  const caps = target.capabilities;
  const images = await Promise.all(Array.from({ length: caps.maxReferences }, () => image(caps.minInputSide, caps.minInputSide)));
  const size = caps.sizes
    .find((s) => s !== 'auto')
    ?.split('x')
    .map(Number);
  return { model: target.model, images, outputFormat: caps.formats[0], size: size ? { width: size[0]!, height: size[1]! } : undefined };
}

/** The catalog offers exactly the models the fake serves, within the fake's reference limits, with parseable sizes. */
export function expectTargetsServedByFake(provider: string, targets: readonly CatalogTarget[], fakeModels: Record<string, number>): void {
  expect(targets.map((t) => t.id)).toEqual(Object.keys(fakeModels).map((m) => `${provider}:${m}`));
  for (const t of targets) {
    expect(t.capabilities.maxReferences).toBeLessThanOrEqual(fakeModels[t.model] ?? 0);
    for (const s of t.capabilities.sizes.filter((x) => x !== 'auto')) expect(parseSize(s)).toBeDefined();
  }
}
