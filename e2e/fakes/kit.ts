/**
 * Scaffolding shared by the fake provider servers: a real HTTP server on loopback, a
 * control endpoint to switch failure modes, a request log, and output links that expire
 * after their first download (as fal/Replicate/DashScope links do, only faster).
 *
 * Control (over HTTP, so Playwright and contract tests drive the same thing):
 *   POST /__control {"mode": "...", "times"?: n}   switch mode (for the next n requests, or until changed)
 *   GET  /__requests                                the request log (method, path, headers, body summary)
 *   POST /__reset                                   mode ok, empty log, forget jobs, no faults
 *   POST /__faults {"retryAfter"?: "...", "outputStatus"?: n, "jobMs"?: n}   fault knobs (see FakeFaults)
 *
 * Job time: by default a fake's job ends on its Nth status read, so tests are as fast as they
 * poll. With a job time (FakeFaults.jobMs, or FAKE_JOB_MS in the fake's environment) every job
 * ends a fixed wall-clock time after its submit instead, however often it is polled, as a real
 * vendor's does: then the engine's polling cadence shows in the time to a result (the fan-out
 * bench). It works on the fakes' own bookkeeping: a job object with a `polls` count, stored in
 * the fake's store (or in a Map kept there), reads as "polled once" until its time is up and as
 * "polled long enough" after, so no fake needs to know about it.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

const FAKE_MODES = [
  'ok',
  /** The vendor's "HTTP 200 but the job failed" shape. */
  'fail_in_200',
  /** 429 with Retry-After. */
  'rate_limit',
  /** 5xx. */
  'server_error',
  /** 200 with a body that is not JSON. */
  'malformed_json',
  /** Accepts the connection and never answers (or never finishes the job). */
  'hang',
  'auth',
  'insufficient_funds',
  'content_policy',
  'bad_input',
] as const;
export type FakeMode = (typeof FAKE_MODES)[number];

export type RecordedRequest = {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** JSON bodies parsed; multipart/binary summarised by size and content type. */
  body: unknown;
};

export type FakeContext = {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  /** The mode for this request (a `times`-limited mode counts down here). */
  mode: FakeMode;
  body: Buffer;
  json<T = unknown>(): T | undefined;
  send(status: number, body: unknown, headers?: Record<string, string>): void;
  /** Registers bytes and returns a one-shot URL for them on this server. */
  issueOutput(bytes: Buffer, mime: string): string;
  baseUrl: string;
  /** Per-fake memory (jobs by id etc.), cleared by /__reset. */
  store: Map<string, unknown>;
};

export type FakeHandler = (ctx: FakeContext) => Promise<void> | void;

/** Knobs for the run engine's fault tests, on top of the modes. */
type FakeFaults = {
  /** Replaces the Retry-After of every answer that carries one (e.g. "120", an HTTP date in 9999). */
  retryAfter?: string;
  /** Every output link answers this status instead of the image, and stays unused (e.g. 403). */
  outputStatus?: number;
  /** Every job submitted from now on ends this long after its submit, not on its Nth poll. */
  jobMs?: number;
};

/**
 * What the vendor saw, for jobs with a job time: jobs accepted (`submits`), jobs running now
 * (accepted less than the job time ago: `active`), and the most of those at once (`peak`).
 */
export type FakeJobStats = { submits: number; active: number; peak: number };

export type FakeServer = {
  name: string;
  /** Job counts (with a job time only; see FakeJobStats). Also GET /__stats. */
  stats(): FakeJobStats;
  url: string;
  port: number;
  setMode(mode: FakeMode, times?: number): void;
  setFaults(faults: FakeFaults): void;
  requests: RecordedRequest[];
  reset(): void;
  close(): Promise<void>;
};

export async function startFake(name: string, handler: FakeHandler, port = 0): Promise<FakeServer> {
  let mode: FakeMode = 'ok';
  let modeTimes: number | undefined;
  let faults: FakeFaults = {};
  const requests: RecordedRequest[] = [];
  const outputs = new Map<string, { bytes: Buffer; mime: string }>();
  const envJobMs = Number(process.env.FAKE_JOB_MS) || undefined;
  const stats: FakeJobStats = { submits: 0, active: 0, peak: 0 };
  const store = clockJobs(new Map<string, unknown>(), () => faults.jobMs ?? envJobMs, stats);
  const hanging = new Set<http.ServerResponse>();
  let baseUrl = '';

  const reset = () => {
    mode = 'ok';
    modeTimes = undefined;
    faults = {};
    requests.length = 0;
    outputs.clear();
    store.clear();
    Object.assign(stats, { submits: 0, active: 0, peak: 0 });
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', baseUrl);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      const isText = typeof payload === 'string';
      if (faults.retryAfter !== undefined && 'retry-after' in headers) headers = { ...headers, 'retry-after': faults.retryAfter };
      res.writeHead(status, { 'content-type': isText ? 'text/plain' : 'application/json', ...headers });
      res.end(isText ? payload : JSON.stringify(payload));
    };

    if (url.pathname === '/__control' && req.method === 'POST') {
      const parsed = JSON.parse(body.toString() || '{}') as { mode?: FakeMode; times?: number };
      if (!parsed.mode || !FAKE_MODES.includes(parsed.mode)) return send(400, { error: `unknown mode ${parsed.mode}` });
      mode = parsed.mode;
      modeTimes = parsed.times;
      return send(200, { mode, times: modeTimes });
    }
    if (url.pathname === '/__faults' && req.method === 'POST') {
      faults = JSON.parse(body.toString() || '{}') as FakeFaults;
      return send(200, faults);
    }
    if (url.pathname === '/__requests') return send(200, requests);
    if (url.pathname === '/__stats') return send(200, stats);
    if (url.pathname === '/__reset') {
      reset();
      return send(200, { ok: true });
    }
    if (url.pathname.startsWith('/__outputs/')) {
      if (faults.outputStatus) return send(faults.outputStatus, { error: 'Access denied: this link has expired.' });
      const id = url.pathname.slice('/__outputs/'.length);
      const out = outputs.get(id);
      // One download, then the link is gone: the app must store outputs at once.
      if (!out) return send(404, { error: 'This output link has expired.' });
      outputs.delete(id);
      res.writeHead(200, { 'content-type': out.mime, 'content-length': String(out.bytes.length) });
      return res.end(out.bytes);
    }

    const contentType = req.headers['content-type'] ?? '';
    let parsedBody: unknown = body.length ? `<${body.length} bytes ${contentType}>` : undefined;
    if (contentType.includes('json')) {
      try {
        parsedBody = JSON.parse(body.toString());
      } catch {
        parsedBody = body.toString().slice(0, 200);
      }
    }
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, body: parsedBody });

    const current = mode;
    if (modeTimes !== undefined) {
      modeTimes -= 1;
      if (modeTimes <= 0) {
        mode = 'ok';
        modeTimes = undefined;
      }
    }
    if (current === 'hang' && !url.pathname.startsWith('/__')) {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return; // never answer
    }

    const ctx: FakeContext = {
      req,
      res,
      url,
      mode: current,
      body,
      json<T>() {
        try {
          return JSON.parse(body.toString()) as T;
        } catch {
          return undefined;
        }
      },
      send,
      issueOutput(bytes, mime) {
        const id = randomUUID();
        outputs.set(id, { bytes, mime });
        return `${baseUrl}/__outputs/${id}`;
      },
      baseUrl,
      store,
    };
    try {
      await handler(ctx);
    } catch (e) {
      if (!res.headersSent) send(500, { error: `fake ${name} crashed: ${(e as Error).message}` });
    }
    if (!res.writableEnded && current !== 'hang') res.end();
  });

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${actualPort}`;

  return {
    name,
    url: baseUrl,
    port: actualPort,
    stats: () => ({ ...stats }),
    setMode(m, times) {
      mode = m;
      modeTimes = times;
    },
    setFaults(f) {
      faults = { ...f };
    },
    requests,
    reset,
    async close() {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Applies the job time (see the header) to every job stored from now on. */
function clockJobs(store: Map<string, unknown>, jobMs: () => number | undefined, stats: FakeJobStats): Map<string, unknown> {
  const seen = new WeakSet<object>();
  const clock = (value: unknown): void => {
    if (value instanceof Map) {
      const set = value.set.bind(value);
      value.set = (k: unknown, v: unknown) => {
        clock(v);
        return set(k, v);
      };
      return;
    }
    const ms = jobMs();
    if (!ms || !value || typeof value !== 'object' || typeof (value as { polls?: unknown }).polls !== 'number') return;
    // The same job object stored again (a status update) is not a new job.
    if (seen.has(value)) return;
    seen.add(value);
    const submittedAt = Date.now();
    let polls = (value as { polls: number }).polls;
    stats.submits++;
    stats.active++;
    stats.peak = Math.max(stats.peak, stats.active);
    // The job runs for its job time at the vendor, whether or not anyone asks about it after.
    setTimeout(() => stats.active--, ms).unref();
    Object.defineProperty(value, 'polls', {
      enumerable: true,
      configurable: true,
      get: () => (Date.now() - submittedAt < ms ? Math.min(polls, 1) : Math.max(polls, 1000)),
      set: (n: number) => {
        polls = n;
      },
    });
  };
  const set = store.set.bind(store);
  store.set = (k, v) => {
    clock(v);
    return set(k, v);
  };
  return store;
}

/** A small, real PNG whose colours depend on the seed, so variations look different. */
export async function fakeImage(seed: number, width = 256, height = 256, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const hue = Math.abs(seed * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="hsl(${hue},70%,55%)"/><stop offset="1" stop-color="hsl(${(hue + 120) % 360},70%,35%)"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="hsl(${(hue + 240) % 360},60%,80%)"/>
  </svg>`;
  const img = sharp(Buffer.from(svg));
  return format === 'png' ? img.png().toBuffer() : img.jpeg().toBuffer();
}

/** Parses a multipart/form-data body with the Web API (Node 20 has Request.formData()). */
export async function parseMultipart(ctx: FakeContext): Promise<FormData | undefined> {
  const type = ctx.req.headers['content-type'];
  if (!type?.startsWith('multipart/form-data')) return undefined;
  try {
    return await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: new Uint8Array(ctx.body),
    }).formData();
  } catch {
    return undefined;
  }
}

/** Reads a header case-insensitively as a single string. */
export function header(ctx: FakeContext, name: string): string | undefined {
  const v = ctx.req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
