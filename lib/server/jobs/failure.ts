import 'server-only';
import { db } from '../db/client';
import { env } from '../env';
import { isProviderError, ProviderError } from '../providers/errors';
import { redact } from '../providers/http';
import { announceDueAt, recordDeadLetter } from './queue';
import { retryAfterMs, tooLongToWait, waitTooLong } from './retry-after';

/**
 * How far an execution got, which decides what a failure may do:
 * - `before-submit`: nothing left the machine for this job; retrying is free;
 * - `submitting`: submit() was called; only an error that certainly came before the vendor
 *   accepted the job (a 429, a connection never made) may be retried by submitting again;
 * - `accepted`: the vendor has (or may have) the job; never submitted again by us.
 */
export type Stage = 'before-submit' | 'submitting' | 'accepted';

export type FailureInput = {
  row: { id: string; attempt: number };
  token: string;
  stage: Stage;
  /** Re-running costs nothing (the offline engine). */
  resumable: boolean;
  vendor: string;
  jobId: string | null;
  error: unknown;
};

/**
 * True when the request certainly did not reach the vendor's job queue: the guarded fetch
 * says nothing was sent (refused connection, DNS failure, blocked address), or the vendor
 * refused it with a rate limit (a 429 is an answer that no job was created).
 */
function beforeAcceptance(e: ProviderError): boolean {
  if (e.sent === false) return true;
  return e.code === 'rate_limited';
}

/** Requeues with backoff when that is safe and attempts remain, else fails the variation. */
export async function recordFailure(input: FailureInput): Promise<void> {
  const { row, stage } = input;
  const mine = { id: row.id, leaseToken: input.token };
  const released = { leaseOwner: null, leaseToken: null, leaseUntil: null };
  let err = isProviderError(input.error)
    ? input.error
    : new ProviderError({ code: 'provider_error', message: input.error instanceof Error ? input.error.message : String(input.error) });
  const mayResubmit = stage === 'before-submit' || input.resumable || (stage === 'submitting' && beforeAcceptance(err));
  const wait = retryAfterMs(err);
  if (err.code === 'rate_limited' && tooLongToWait(wait)) err = waitTooLong(wait, input.vendor);
  else if (mayResubmit && err.retryable && row.attempt + 1 < env().RETRY_MAX_ATTEMPTS) {
    const max = env().RETRY_MAX_ATTEMPTS;
    // Exponential backoff with full jitter, never sooner than the vendor's Retry-After.
    const backoff = Math.random() * Math.min(30_000, 1000 * 2 ** (row.attempt + 1));
    const notBefore = new Date(Date.now() + Math.max(wait, backoff));
    const { count } = await db().variation.updateMany({
      where: mine,
      data: {
        status: 'queued',
        attempt: row.attempt + 1,
        notBefore,
        // Nothing was accepted: the next claim may submit again.
        submittedAt: null,
        errorCode: err.code,
        errorMessage: `${redact(err.message)} (retrying, attempt ${row.attempt + 2} of ${max})`,
        ...released,
      },
    });
    if (count === 1) void announceDueAt(row.id, notBefore);
    return;
  }
  const { count } = await db().variation.updateMany({
    where: mine,
    data: {
      status: 'failed',
      errorCode: err.code,
      errorMessage: contentPolicyDetail(err) + redact(err.message) + notResubmitted(input, err, mayResubmit),
      blockKind: blockKindOf(err, stage),
      vendorRequestId: err.vendorRequestId ?? input.jobId ?? null,
      finishedAt: new Date(),
      ...released,
    },
  });
  if (count === 1) void recordDeadLetter([{ variationId: row.id, errorCode: err.code }]);
}

/** Says why a failure that looks transient was not retried: the vendor may have billed it. */
function notResubmitted(input: FailureInput, err: ProviderError, mayResubmit: boolean): string {
  if (mayResubmit || input.stage !== 'submitting') return '';
  if (err.code !== 'provider_error' && err.code !== 'timeout' && err.code !== 'interrupted') return '';
  return ` ${input.vendor} may have accepted the job before this error, so it was not submitted again automatically, to avoid paying twice.`;
}

/**
 * A provider-side block, for the record and appeals: `prompt-blocked` when the vendor refused the
 * instruction or references, `output-blocked` when it withheld what it generated. A refusal that
 * does not say which side counts as the prompt when it came back from the submit, and as the
 * output when the job had been accepted and ran.
 */
function blockKindOf(err: ProviderError, stage: Stage): 'prompt-blocked' | 'output-blocked' | null {
  if (err.code !== 'content_policy') return null;
  const side = err.blocked ?? (stage === 'accepted' ? 'output' : 'input');
  return side === 'output' ? 'output-blocked' : 'prompt-blocked';
}

function contentPolicyDetail(err: ProviderError): string {
  if (err.code !== 'content_policy') return '';
  if (err.blocked === 'input') return 'The prompt or references were blocked. ';
  if (err.blocked === 'output') return 'The generated image was blocked. ';
  return '';
}
