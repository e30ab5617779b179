import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDataDir } from '@/lib/testing/temp-data';

useTempDataDir({ WORKER_ENABLED: '0', RETRY_MAX_ATTEMPTS: '3' });

const { db } = await import('../db/client');
const { ownerContext } = await import('../context');
const { createSession } = await import('../services/sessions');
const { ProviderError } = await import('../providers/errors');
const { recordFailure } = await import('./failure');
const { describeWait, retryAfterMs, MAX_RETRY_AFTER_MS } = await import('./retry-after');
const { storedImage, leasedVariation, LEASE_TOKEN } = await import('./testing/seed');

let sessionId = '';
let assetId = '';

beforeAll(async () => {
  sessionId = await createSession(ownerContext(), {});
  assetId = (await storedImage('#888888')).id;
});

/** A variation as a worker holds it mid-submit to a paid vendor. */
const submitting = () =>
  leasedVariation({ sessionId, referenceId: assetId, instruction: 'make it black and white', status: 'submitting', provider: 'wavespeed' });

const fail = (id: string, error: unknown, stage: 'before-submit' | 'submitting' | 'accepted' = 'submitting') =>
  recordFailure({ row: { id, attempt: 0 }, token: LEASE_TOKEN, stage, resumable: false, vendor: 'WaveSpeed', jobId: null, error });

describe('what a failed submit may do', () => {
  it('requeues an error that certainly never reached the vendor (nothing sent, or a 429)', async () => {
    for (const error of [
      new ProviderError({ code: 'provider_error', message: 'connect ECONNREFUSED', sent: false }),
      new ProviderError({ code: 'rate_limited', message: 'slow down', httpStatus: 429, retryAfterMs: 2000 }),
    ]) {
      const id = await submitting();
      // Compared with the moment of failure: the backoff can be shorter than a loaded machine's pause.
      const failedAt = Date.now();
      await fail(id, error);
      const v = await db().variation.findUniqueOrThrow({ where: { id } });
      expect(v).toMatchObject({ status: 'queued', attempt: 1, submittedAt: null, leaseToken: null });
      expect(v.notBefore!.getTime()).toBeGreaterThan(failedAt);
    }
  });

  it('fails, without resubmitting, an error the vendor may have seen after accepting', async () => {
    for (const error of [
      new ProviderError({ code: 'provider_error', message: 'socket hang up', sent: true }),
      new ProviderError({ code: 'provider_error', message: 'WaveSpeed: Bad gateway', httpStatus: 502 }),
      new ProviderError({ code: 'timeout', message: 'No answer in time.' }),
    ]) {
      const id = await submitting();
      await fail(id, error);
      const v = await db().variation.findUniqueOrThrow({ where: { id } });
      expect(v.status).toBe('failed');
      expect(v.errorMessage).toMatch(/WaveSpeed may have accepted the job/);
    }
  });

  it('requeues a retryable error from before the submit, and never writes without the claim', async () => {
    const id = await submitting();
    await db().variation.update({ where: { id }, data: { submittedAt: null } });
    await fail(id, new Error('disk hiccup'), 'before-submit');
    expect(await db().variation.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'queued', attempt: 1 });
    await recordFailure({
      row: { id, attempt: 1 },
      token: 'someone-else',
      stage: 'accepted',
      resumable: false,
      vendor: 'WaveSpeed',
      jobId: null,
      error: new Error('x'),
    });
    expect(await db().variation.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'queued' });
  });
});

describe('Retry-After', () => {
  it('is never unsafe to add to a date, and over 15 minutes it fails the variation with the time to retry', async () => {
    expect(retryAfterMs(new ProviderError({ code: 'rate_limited', message: '', retryAfterMs: Number.NaN }))).toBe(0);
    expect(retryAfterMs(new ProviderError({ code: 'rate_limited', message: '', retryAfterMs: -5 }))).toBe(0);
    expect(
      () => new Date(Date.now() + retryAfterMs(new ProviderError({ code: 'rate_limited', message: '', retryAfterMs: 1e16 }))),
    ).not.toThrow();
    expect(describeWait(1e16, 0)).toMatch(/far in the future/);
    expect(describeWait(2 * 3_600_000, Date.UTC(2026, 0, 1))).toBe('about 2 hours (until 2026-01-01 02:00 UTC)');

    const id = await submitting();
    await fail(
      id,
      new ProviderError({ code: 'rate_limited', message: 'slow down', httpStatus: 429, retryAfterMs: MAX_RETRY_AFTER_MS + 60_000 }),
    );
    const v = await db().variation.findUniqueOrThrow({ where: { id } });
    expect(v).toMatchObject({ status: 'failed', errorCode: 'rate_limited' });
    expect(v.errorMessage).toMatch(/WaveSpeed asked to wait 16 minutes/);
  });
});
