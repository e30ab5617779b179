import 'server-only';
import type { ProviderId } from '@/lib/providers/target-kit';
import type { ProviderError } from './errors';

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/webp';

/** One reference image, already adapted to the target's limits (count, size, format). */
export type InputImage = {
  bytes: Buffer;
  mime: ImageMime;
  width: number;
  height: number;
  /** e.g. "image-1.png": stable, tells the vendor which reference is which. */
  filename: string;
  sha256: string;
};

/** A normalised edit request: one call produces the images of one variation. */
export type EditRequest = {
  /** The vendor's model id, e.g. `alibaba/wan-2.7/image-edit`. */
  model: string;
  prompt: string;
  negativePrompt?: string;
  images: InputImage[];
  seed: number;
  /** Requested output size; adapters map it to the vendor's size vocabulary. */
  size?: { width: number; height: number };
  outputFormat: 'png' | 'jpeg';
  /** 0..1, "how far from the source" (adapters invert it where the vendor means the opposite). */
  strength?: number;
  guidance?: number;
  /**
   * The vendor's own safety setting for this target, when the run chose one (the catalog's
   * `capabilities.safety`: a level number, or the checker on/off); unset = the vendor's default.
   */
  safety?: number | boolean;
  /**
   * Ours, stable per variation: `<variation id>-<generation>`, the same for every automatic
   * retry and changed only by a user's retry. Send it wherever the vendor documents an
   * idempotency header or field, so a retried request cannot create (and bill) a second job.
   * As checked, none of the image endpoints used here documents one: not OpenAI
   * (images/edits), Replicate (predictions), fal (queue), WaveSpeed, DashScope, Kie,
   * ModelsLab, Together, Stability nor ComfyUI. The engine therefore never resubmits a job a
   * vendor may have accepted (lib/server/jobs/failure.ts).
   */
  idempotencyKey: string;
  /**
   * Where the vendor may call back when the job ends (lib/server/webhooks), set only when
   * PUBLIC_BASE_URL is. A hint to poll now: the adapter's own poll stays the only source of truth.
   */
  webhookUrl?: string;
};

export type OutputImage = { url: string; bytes?: undefined; mime?: string } | { bytes: Buffer; url?: undefined; mime?: string };

export type Usage = {
  /** Cost reported by the provider (USD), when it reports one. */
  costUsd?: number;
  /** Raw usage numbers the vendor returned (tokens, credits...), for the ledger. */
  details?: Record<string, number | string>;
};

export type SubmitResult =
  | {
      kind: 'done';
      images: OutputImage[];
      usage?: Usage;
      blockedCount?: number;
      /** A synchronous vendor's id for the request (e.g. OpenAI's x-request-id), for appeals and support. */
      vendorRequestId?: string;
    }
  | {
      kind: 'pending';
      /** Vendor job id, shown in the UI and stored before any polling. */
      jobId: string;
      /** Opaque JSON string with everything poll()/cancel() need (status URLs, region...). */
      handle: string;
      pollAfterMs?: number;
    };

export type PollResult =
  | { state: 'queued' | 'running'; pollAfterMs?: number }
  | { state: 'succeeded'; images: OutputImage[]; usage?: Usage; blockedCount?: number }
  | { state: 'failed'; error: ProviderError }
  | { state: 'cancelled' };

export type AdapterContext = {
  signal: AbortSignal;
  /**
   * Returns a URL the vendor can fetch the image from, for vendors that take URLs only
   * and have no upload API of their own: presigned by the bucket with BLOB_STORE=s3, else under
   * PUBLIC_BASE_URL. Throws `bad_input` when there is neither.
   */
  publicUrlFor?: (image: InputImage) => Promise<string>;
};

/** Resolved configuration for one adapter instance; built from env by the vendor's config.ts. */
export type AdapterConfig = {
  apiKey?: string;
  baseUrl: string;
  /** Vendor-specific extras (region, workflow file, endpoint path...). */
  options?: Record<string, string | undefined>;
  /** Deadline for one HTTP request (tests shorten it to exercise a hanging vendor). */
  requestTimeoutMs?: number;
};

export interface ProviderAdapter {
  readonly id: ProviderId;
  /** Overall deadline for one variation (submit + polling), per vendor's typical latency. */
  readonly deadlineMs: number;
  /**
   * True when re-running an interrupted job costs nothing and gives the same result (the
   * offline engine). Paid vendors are never resubmitted silently after a crash.
   */
  readonly resumable?: boolean;
  /** False without a key (or, for ComfyUI, without a base URL and workflow). */
  configured(): boolean;
  submit(req: EditRequest, ctx: AdapterContext): Promise<SubmitResult>;
  poll(handle: string, ctx: AdapterContext): Promise<PollResult>;
  cancel?(handle: string, ctx: AdapterContext): Promise<void>;
}
