import 'server-only';
import path from 'node:path';
import { z } from 'zod';
import { parseAllowEntry } from './net/host-port';
import { findAppRoot } from './app-root';

/**
 * The only reader of process.env. Everything is optional so that a fresh clone runs
 * with no .env at all: the offline engine needs no key. See .env.example.
 */
const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();
const url = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v.replace(/\/+$/, '')))
  .pipe(z.url().optional())
  .optional();
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const secret = (min: number) => optional.pipe(z.string().min(min, `must be at least ${min} characters`).optional());

const schema = z.object({
  /** Relative paths resolve from the app's folder (appRoot()), not the working directory. */
  DATA_DIR: z.string().default('./data'),
  /** The app's folder, when it cannot be found from where the server was started (app-root.ts). */
  PROOFSHEET_ROOT: optional,
  /** Days a deleted session, run or variation stays in the Trash before it is deleted for good. */
  TRASH_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** The database (lib/server/db/client.ts): `file:` SQLite, `postgresql://` PostgreSQL. Unset: SQLite at DATA_DIR/proofsheet.db. */
  DATABASE_URL: optional,
  /** Connections per process in the PostgreSQL pool (ignored on SQLite). */
  DATABASE_POOL_MAX: positiveInt(10),
  /** Where image bytes live (lib/server/storage/index.ts): `fs` = files under DATA_DIR/blobs, `s3` = a bucket. */
  BLOB_STORE: z.enum(['fs', 's3']).default('fs'),
  /** S3-compatible storage (BLOB_STORE=s3, lib/server/storage/s3-config.ts): AWS S3, MinIO, R2. */
  S3_BUCKET: optional,
  S3_REGION: optional,
  /** MinIO, R2 or another S3-compatible service; unset: AWS's endpoint for S3_REGION. */
  S3_ENDPOINT: url,
  S3_FORCE_PATH_STYLE: z.enum(['0', '1']).default('0'),
  /** Both or neither; neither: the SDK's default chain (AWS_* variables, profile, instance role). */
  S3_ACCESS_KEY_ID: optional,
  S3_SECRET_ACCESS_KEY: optional,
  /** Folder-like prefix for every key in the bucket (`proofsheet/`), to share a bucket. */
  S3_PREFIX: z.string().trim().default(''),
  /** How long a presigned GET handed to a vendor stays valid (S3 caps SigV4 presigning at 7 days). */
  S3_PRESIGN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(3600),
  PUBLIC_BASE_URL: url,
  /** Interface `npm run dev` / `npm start` bind to (scripts/serve.mjs); unset: 127.0.0.1. */
  HOST: optional,
  /** Sign-in secret; required when bound to anything but loopback (lib/server/perimeter). */
  ACCESS_TOKEN: secret(12),
  /** The same as ACCESS_TOKEN under a friendlier name; either one signs in. */
  ACCESS_PASSWORD: secret(12),
  /** Extra Host names (comma separated) the studio answers to, beyond loopback and PUBLIC_BASE_URL. */
  ALLOWED_HOSTS: z.string().default(''),
  /** Requests per API token per window on /api/v1 (answered 429 with Retry-After beyond). */
  API_RATE_LIMIT: z.coerce.number().int().positive().default(120),
  API_RATE_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
  /** Key for signed /api/inputs URLs; unset: a random key kept in DATA_DIR/url-signing.key. */
  URL_SIGNING_SECRET: secret(32),
  /** How long a signed input URL handed to a vendor stays valid. */
  INPUT_URL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(3600),
  WORKER_ENABLED: z.enum(['0', '1']).default('1'),
  WORKER_ID: optional,
  WORKER_LEASE_MS: positiveInt(30_000),
  WORKER_CONCURRENCY: positiveInt(2),
  WORKER_TARGET_CONCURRENCY: positiveInt(4),
  /** Variations in flight in one process at once, over every provider (memory, sockets). */
  WORKER_MAX_IN_FLIGHT: positiveInt(16),
  /** Takeovers after a crash before a variation is failed instead of being run again. */
  WORKER_MAX_RECOVERIES: positiveInt(3),
  /** After SIGTERM: how long in-flight calls may finish, leases kept, before the worker lets go. */
  WORKER_DRAIN_MS: z.coerce.number().int().min(0).default(20_000),
  /** Watchdog: how far one execution may run past its vendor's deadline before it is stopped. */
  WORKER_WATCHDOG_GRACE_MS: positiveInt(20 * 60_000),
  /** Longest wait between two status polls of a job, whatever the adapter's hint (a vendor's Retry-After excepted). */
  WORKER_POLL_MAX_MS: positiveInt(10_000),
  /** Simulated latency of the offline engine (demos, and the restart-mid-run test). */
  ENGINE_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /**
   * host:port pairs (comma separated, any case) that server-side requests may reach although
   * their address is loopback, private or otherwise special (lib/server/net/guard.ts). Parsed
   * into the form hostPortOf() compares: `127.0.0.1:8188`, `comfy.lan:8188`, `[::1]:8188`.
   */
  OUTBOUND_ALLOW_HOSTS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const keys: string[] = [];
      for (const entry of v.split(',').filter((e) => e.trim())) {
        const parsed = parseAllowEntry(entry);
        if ('key' in parsed) keys.push(parsed.key);
        else ctx.addIssue({ code: 'custom', message: parsed.error });
      }
      return keys;
    }),
  RETRY_MAX_ATTEMPTS: positiveInt(3),
  /** Image decodes at once (uploads, input adaptation): sharp shares libuv's pool with file I/O. */
  IMAGE_DECODE_CONCURRENCY: positiveInt(2),
  /** Uploads that may wait for a decode; past that an upload gets 503 with Retry-After. */
  IMAGE_DECODE_QUEUE: z.coerce.number().int().min(0).default(6),

  WAVESPEED_API_KEY: optional,
  WAVESPEED_BASE_URL: url,
  /** Webhook signing secret (`whsec_…`); unset: read from GET /api/v3/webhook/secret with the key (lib/server/webhooks). */
  WAVESPEED_WEBHOOK_SECRET: optional,
  DASHSCOPE_API_KEY: optional,
  DASHSCOPE_BASE_URL: url,
  DASHSCOPE_REGION: z.enum(['intl', 'cn']).default('intl'),
  KIE_API_KEY: optional,
  KIE_BASE_URL: url,
  KIE_UPLOAD_BASE_URL: url,
  /** Kie's webhookHmacKey (its settings page); unset, a Kie callback is only a hint to poll. */
  KIE_WEBHOOK_HMAC_KEY: optional,
  MODELSLAB_API_KEY: optional,
  MODELSLAB_BASE_URL: url,
  MODELSLAB_EDIT_PATH: optional,
  MODELSLAB_MODEL_ID: optional,
  TOGETHER_API_KEY: optional,
  TOGETHER_BASE_URL: url,
  TOGETHER_RESPONSE_FORMAT: z.enum(['url', 'base64']).default('base64'),
  /** url (default): public URLs only (Together documents no other form); auto: data URI without PUBLIC_BASE_URL; data-uri. */
  TOGETHER_IMAGE_TRANSPORT: z.enum(['url', 'auto', 'data-uri']).default('url'),
  REPLICATE_API_TOKEN: optional,
  REPLICATE_BASE_URL: url,
  REPLICATE_WAIT_SECONDS: z.coerce.number().int().min(1).max(60).default(5),
  /** Webhook signing secret (`whsec_…`); unset: read from GET /v1/webhooks/default/secret with the token. */
  REPLICATE_WEBHOOK_SECRET: optional,
  FAL_KEY: optional,
  FAL_QUEUE_BASE_URL: url,
  FAL_STORAGE_BASE_URL: url,
  /** fal's webhook public keys; unset: FAL_STORAGE_BASE_URL's /.well-known/jwks.json (rest.alpha.fal.ai). */
  FAL_WEBHOOK_JWKS_URL: url,
  OPENAI_API_KEY: optional,
  OPENAI_BASE_URL: url,
  OPENAI_QUALITY: z.enum(['low', 'medium', 'high', 'auto']).default('medium'),
  /** Safety pre-check through OpenAI's moderation endpoint (needs OPENAI_API_KEY); off unless set (lib/server/safety). */
  SAFETY_MODERATION: z.enum(['openai', 'off']).default('off'),
  /** When the moderation call fails: `block` refuses the run (moderation_unavailable), `allow` lets it through. */
  SAFETY_MODERATION_ON_ERROR: z.enum(['block', 'allow']).default('block'),
  STABILITY_API_KEY: optional,
  STABILITY_BASE_URL: url,
  ATLASCLOUD_API_KEY: optional,
  ATLASCLOUD_BASE_URL: url,
  COMFYUI_BASE_URL: url,
  COMFYUI_WORKFLOW: optional,
  COMFYUI_API_KEY: optional,
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    // Name the variable and the rule, never the value (it may be a key).
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment (see .env.example):\n${lines.join('\n')}`);
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}

let root: { configured: string | undefined; dir: string } | undefined;

/** The app's folder (see app-root.ts), found once per PROOFSHEET_ROOT value. */
export function appRoot(): string {
  const configured = env().PROOFSHEET_ROOT;
  if (!root || root.configured !== configured) root = { configured, dir: findAppRoot(configured) };
  return root.dir;
}

/** A configured path: absolute as given, relative from the app's folder. */
export function fromAppRoot(p: string): string {
  return path.isAbsolute(p) ? path.normalize(p) : path.resolve(appRoot(), p);
}

export function dataDir(): string {
  return fromAppRoot(env().DATA_DIR);
}

export function blobDir(): string {
  return path.join(dataDir(), 'blobs');
}

/** `next dev` (React needs eval there; the page policy allows it only then). */
export function isDevelopment(): boolean {
  return process.env.NODE_ENV === 'development';
}
