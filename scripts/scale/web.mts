/**
 * A small web server over the app's own handlers, for the multi-process test and the
 * throughput bench (scripts/scale/multi-process.test.ts, scripts/bench/throughput.mts):
 *   PORT=4600 node --conditions=react-server --import tsx scripts/scale/web.mts
 * It starts the way instrumentation.ts starts the app (migrations, blob store check, the
 * worker unless WORKER_ENABLED=0) and serves what those tests drive over HTTP:
 *   GET  /api/health[?ready=1], /api/ready       the app's route handlers
 *   GET  /api/sessions/:id/events                the session's Server-Sent Events (lib/server/events/stream.ts)
 *   POST /api/runs                               submitRun (lib/server/services/runs.ts), JSON in and out
 * Why not `next start`: a production build per test run costs minutes on two cores, and what
 * these tests check (the queue, the bus, the store) lives below the route layer, in code a
 * Next.js server runs unchanged. The caller is the local owner, as the studio's routes resolve
 * it without sign-in.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';

const requireFromNext = createRequire(createRequire(import.meta.url).resolve('next/package.json'));
requireFromNext('@next/env').loadEnvConfig(process.cwd(), process.env.NODE_ENV !== 'production', { info: () => {}, error: console.error });

const { prepareDatabaseOrExit } = await import('@/lib/server/db/startup');
await prepareDatabaseOrExit();
(await import('@/lib/server/storage')).checkBlobStoreOrExit();
const { startWorker } = await import('@/lib/server/jobs/worker');
startWorker();
const { GET: health } = await import('@/app/api/health/route');
const { GET: ready } = await import('@/app/api/ready/route');
const { sessionEventResponse, closeAllStreams } = await import('@/lib/server/events/stream');
const { ownerContext } = await import('@/lib/server/context');
const { requireSession } = await import('@/lib/server/services/sessions');
const { submitRun, submitRunSchema } = await import('@/lib/server/services/runs');

async function route(req: http.IncomingMessage, signal: AbortSignal): Promise<Response> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/api/health') return health(new Request(url));
  if (req.method === 'GET' && url.pathname === '/api/ready') return ready();
  const events = /^\/api\/sessions\/([^/]+)\/events$/.exec(url.pathname);
  if (req.method === 'GET' && events) {
    const session = await requireSession(ownerContext(), decodeURIComponent(events[1]!));
    return sessionEventResponse(session.id, signal);
  }
  if (req.method === 'POST' && url.pathname === '/api/runs') {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const input = submitRunSchema.parse(JSON.parse(Buffer.concat(chunks).toString()));
    return Response.json(await submitRun(ownerContext(), input), { status: 201 });
  }
  return Response.json({ error: 'not found' }, { status: 404 });
}

const server = http.createServer((req, res) => {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  void route(req, abort.signal)
    .catch((e: unknown) => Response.json({ error: e instanceof Error ? e.message : String(e) }, { status: 500 }))
    .then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.flushHeaders();
      if (!response.body) return res.end();
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(res);
    });
});

const port = Number(process.env.PORT) || 4600;
server.listen(port, '127.0.0.1', () => console.log(`[web] listening on http://127.0.0.1:${port} (pid ${process.pid})`));
// SIGTERM: the worker drains on its own listener (lib/server/jobs/worker.ts); streams end, the
// server stops accepting, and the process exits once both are done.
process.once('SIGTERM', () => {
  closeAllStreams();
  server.close(() => {
    if (process.env.WORKER_ENABLED === '0') process.exit(0);
  });
  server.closeIdleConnections();
});
