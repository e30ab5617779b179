import 'server-only';
import type { z } from 'zod';
import type { ProviderId } from '@/lib/providers/target-kit';
import { ProviderError } from './errors';
import { httpError, request, requireJson, type HttpResponse } from './http';
import type { AdapterConfig, AdapterContext, EditRequest, PollResult, ProviderAdapter, SubmitResult } from './types';

type Secrets = (string | undefined)[];

/**
 * How the key travels. `Bearer`/`Key`: an Authorization header on every call. `body`: inside
 * each JSON body (ModelsLab), so no header. A required key that is missing refuses every call
 * with `auth` before anything leaves the machine; an `optional` one is sent only when set
 * (ComfyUI, where it is for a reverse proxy in front).
 */
type HttpAuth = { scheme: 'Bearer' | 'Key' | 'body'; envKey: string; optional?: boolean };

export type SendInit = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  /** Sent as JSON with its content-type. */
  json?: unknown;
  /** Any other body (FormData: fetch writes the multipart boundary itself). */
  body?: BodyInit;
};

type SendOptions = {
  /** This call's deadline when it differs from the adapter's (uploads, long synchronous calls). */
  timeoutMs?: number;
  /** False for URLs that must never see the key (a signed upload URL on another host). */
  auth?: boolean;
  /** Cap on this answer's body when it differs from the default (request(): LIMITS.apiBytes). */
  maxBytes?: number;
};

type PendingResult = Extract<SubmitResult, { kind: 'pending' }>;

/** What every HTTP adapter gets instead of writing it again: one call path, one handle codec. */
export type HttpKit<H> = {
  readonly vendor: string;
  /** Base URL without a trailing slash; a path starting with `/` is resolved against it. */
  readonly base: string;
  /** The key ('' when unset); a required one is always set inside submit/poll/cancel. */
  readonly key: string;
  /** Strings no error message may contain. */
  readonly secrets: Secrets;
  /** The auth header alone, for the odd call that cannot go through send() (a binary download). */
  authHeaders(): Record<string, string>;
  /** One request with auth, deadline and secret redaction; the status is the caller's to read. */
  send(url: string, init: SendInit, ctx: AdapterContext, opts?: SendOptions): Promise<HttpResponse>;
  /** send(), then anything but a 2xx becomes the vendor's error. */
  call(url: string, init: SendInit, ctx: AdapterContext, opts?: SendOptions): Promise<HttpResponse>;
  /** The vendor's error for a response already in hand. */
  error(res: HttpResponse): ProviderError;
  /**
   * The JSON body, checked by a schema. Malformed JSON or a body of another shape on a 2xx is
   * the vendor's fault (or a changed API): `provider_error` with "<vendor>: <problem>.".
   */
  json<T>(res: HttpResponse, schema: z.ZodType<T>, problem: string): T;
  /** A pending submit result whose handle is the typed, schema-checked JSON the poll reads back. */
  pending(jobId: string, handle: H, pollAfterMs?: number): PendingResult;
  /** Reads a stored handle; anything unreadable is `bad_input` (final: polling it again cannot help). */
  readHandle(text: string): H;
};

/** The vendor's own part; poll and cancel receive the handle already read and checked. */
export type HttpMethods<H> = {
  submit(req: EditRequest, ctx: AdapterContext): Promise<SubmitResult>;
  /** Omitted for synchronous vendors: submit() always answers `done`, so there is no job to poll. */
  poll?(handle: H, ctx: AdapterContext): Promise<PollResult>;
  cancel?(handle: H, ctx: AdapterContext): Promise<void>;
};

export type HttpAdapterSpec<H> = {
  id: ProviderId;
  /** The name error messages start with ("WaveSpeed: …"). */
  vendor: string;
  config: AdapterConfig;
  /** Resolved base URL (config, else the vendor's documented host); trailing slashes are dropped. */
  baseUrl: string;
  /** Other configured hosts that may receive the key (an upload host); no other host ever does. */
  alsoTrusted?: string[];
  auth: HttpAuth;
  /** Default per-request deadline; `config.requestTimeoutMs` overrides every call (tests shorten it). */
  timeoutMs: number;
  deadlineMs: number;
  /** Schema of the stored job handle; required when the vendor has poll(). */
  handle?: z.ZodType<H>;
  /** The vendor's reading of a non-2xx answer; default: status → code, message from the body. */
  httpError?: (res: HttpResponse, secrets: Secrets) => ProviderError;
  /** Default: a key is set (or not required). */
  configured?: () => boolean;
  /** Throws when something other than the key is missing (ComfyUI's base URL); runs before every call. */
  ready?: () => void;
};

/**
 * Builds a ProviderAdapter from the vendor-specific parts, so the shared behaviour is written
 * once: the key check before any call, the auth header, deadlines, redaction of the key from
 * every message, the 2xx check and error mapping, schema-checked JSON and one handle codec.
 * The adapter keeps only what differs: the wire format, the status table and the vendor's errors.
 */
export function defineHttpAdapter<H = never>(spec: HttpAdapterSpec<H>, build: (http: HttpKit<H>) => HttpMethods<H>): ProviderAdapter {
  const { vendor, config, auth } = spec;
  const key = config.apiKey ?? '';
  const base = spec.baseUrl.replace(/\/+$/, '');
  const secrets: Secrets = [config.apiKey];
  const mapError = spec.httpError ?? ((res: HttpResponse, s: Secrets) => httpError(res, vendor, s));
  const keyRequired = !auth.optional;

  const trusted = new Set([base, ...(spec.alsoTrusted ?? [])].map(originOf).filter(Boolean));

  const authHeaders = (): Record<string, string> => (auth.scheme !== 'body' && key ? { authorization: `${auth.scheme} ${key}` } : {});

  const send: HttpKit<H>['send'] = (url, init, ctx, opts = {}) => {
    const target = url.startsWith('/') ? `${base}${url}` : url;
    const withKey = opts.auth !== false;
    // URLs from a vendor's answer or a stored handle are checked where they are read; this is the
    // backstop, so that no path through an adapter can hand the key to a host nobody configured.
    if (withKey && !trusted.has(originOf(target))) {
      throw new ProviderError({
        code: 'provider_error',
        message: `${vendor}: refusing to send the key to ${originOf(target) || 'an invalid URL'}.`,
      });
    }
    const headers: Record<string, string> = withKey ? authHeaders() : {};
    for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
    let body = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    return request(
      target,
      { method: init.method, headers, body },
      { signal: ctx.signal, timeoutMs: config.requestTimeoutMs ?? opts.timeoutMs ?? spec.timeoutMs, maxBytes: opts.maxBytes, secrets },
    );
  };

  const http: HttpKit<H> = {
    vendor,
    base,
    key,
    secrets,
    authHeaders,
    send,
    async call(url, init, ctx, opts) {
      const res = await send(url, init, ctx, opts);
      if (res.status < 200 || res.status >= 300) throw mapError(res, secrets);
      return res;
    },
    error: (res) => mapError(res, secrets),
    json(res, schema, problem) {
      const parsed = schema.safeParse(requireJson(res, vendor));
      if (parsed.success) return parsed.data;
      throw new ProviderError({ code: 'provider_error', message: `${vendor}: ${problem}.`, httpStatus: res.status });
    },
    pending: (jobId, handle, pollAfterMs) => ({ kind: 'pending', jobId, handle: JSON.stringify(handle), pollAfterMs }),
    readHandle(text) {
      try {
        if (!spec.handle) throw new Error('no handle schema');
        return spec.handle.parse(JSON.parse(text));
      } catch {
        throw new ProviderError({ code: 'bad_input', message: `${vendor}: the stored job handle is unreadable.` });
      }
    },
  };

  /** Runs before anything leaves the machine. */
  function guard(): void {
    if (keyRequired && !key) throw new ProviderError({ code: 'auth', message: `${vendor}: no API key is configured (${auth.envKey}).` });
    spec.ready?.();
  }

  const { submit, poll, cancel } = build(http);
  return {
    id: spec.id,
    deadlineMs: spec.deadlineMs,
    configured: spec.configured ?? (() => !keyRequired || Boolean(key)),
    async submit(req, ctx) {
      guard();
      return submit(req, ctx);
    },
    poll: poll
      ? async (handle, ctx) => {
          guard();
          return poll(http.readHandle(handle), ctx);
        }
      : async () => ({
          // submit() never returns 'pending' here, so a handle can only come from a bug or a
          // restart mid-request; there is nothing on the vendor's side to ask about.
          state: 'failed',
          error: new ProviderError({ code: 'interrupted', message: `${vendor} answers synchronously; there is no job to resume.` }),
        }),
    ...(cancel
      ? {
          async cancel(handle: string, ctx: AdapterContext) {
            guard();
            return cancel(http.readHandle(handle), ctx);
          },
        }
      : {}),
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
