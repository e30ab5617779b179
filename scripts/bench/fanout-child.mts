/**
 * The fan-out bench's app side, run in its own process by fanout.mts (the fakes stay in the
 * parent, so neither's CPU is on the other's path): one session's event stream open as a
 * browser holds it, then one instruction to 8 vendors × 2 variations, timed from the submit
 * (the service the Generate button's action calls) to the moment the stream delivers the last
 * variation's "succeeded" (the grid shows it; its thumbnail is stored by then).
 * Prints one `RESULT {json}` line.
 */
import sharp from 'sharp';

const TARGETS = JSON.parse(process.env.FANOUT_TARGETS!) as string[];
const ROUNDS = Number(process.env.FANOUT_ROUNDS ?? 4);

const { prepareImage } = await import('@/lib/server/images/prepare');
const { storeAsset } = await import('@/lib/server/assets');
const { createSession } = await import('@/lib/server/services/sessions');
const { submitRun, submitRunSchema } = await import('@/lib/server/services/runs');
const { ownerContext } = await import('@/lib/server/context');
const { db } = await import('@/lib/server/db/client');
const { startWorker, wakeWorker, stopWorker } = await import('@/lib/server/jobs/worker');
const { sessionEventStream } = await import('@/lib/server/events/stream');
const { blobKey, blobStore } = await import('@/lib/server/storage');

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024"><rect width="100%" height="100%" fill="#eeeeee"/><circle cx="512" cy="512" r="260" fill="#1971c2"/></svg>`;
const prepared = await prepareImage(await sharp(Buffer.from(svg)).png().toBuffer(), 'ref.png');
if (!prepared.ok) throw new Error(prepared.error.message);
const asset = await storeAsset(prepared.image, 'upload');
const sessionId = await createSession(ownerContext(), { title: 'bench fan-out' });

// The stream as the browser holds it: every `change` event, stamped when delivered.
type Delivered = { at: number; variationId: string; status: string; sha?: string };
const delivered: Delivered[] = [];
let wake = () => {};
const reader = sessionEventStream(sessionId, new AbortController().signal).getReader();
void (async () => {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!block.startsWith('event: change') || !data) continue;
      const change = JSON.parse(data) as { type: string; variation?: { id: string; status: string; output?: { sha256?: string } | null } };
      if (change.type !== 'variation' || !change.variation) continue;
      delivered.push({
        at: performance.now(),
        variationId: change.variation.id,
        status: change.variation.status,
        sha: change.variation.output?.sha256,
      });
      wake();
    }
  }
})();

startWorker();

type Round = { clickToAllShownMs: number; providerMsMedian: number; polls?: number; thumbsReady: number };
async function round(): Promise<Round> {
  const from = delivered.length;
  const t0 = performance.now();
  const input = submitRunSchema.parse({
    sessionId,
    instruction: 'make it warmer',
    referenceIds: [asset.id],
    targets: TARGETS,
    count: 2,
    seed: 1,
  });
  const r = await submitRun(ownerContext(), input);
  wakeWorker();
  const ids = new Set(r.variationIds);
  const shown = new Map<string, Delivered>();
  const deadline = Date.now() + 60_000;
  while (shown.size < ids.size) {
    for (const d of delivered.slice(from)) {
      if (!ids.has(d.variationId)) continue;
      if (d.status === 'failed') {
        const v = await db().variation.findUnique({ where: { id: d.variationId } });
        throw new Error(`${v?.targetId} failed: ${v?.errorMessage}`);
      }
      if (d.status === 'succeeded' && !shown.has(d.variationId)) shown.set(d.variationId, d);
    }
    if (Date.now() > deadline) throw new Error(`only ${shown.size} of ${ids.size} shown within 60 s`);
    if (shown.size < ids.size) {
      await new Promise<void>((res) => {
        wake = res;
        setTimeout(res, 1000);
      });
    }
  }
  const last = Math.max(...[...shown.values()].map((d) => d.at));
  const rows = await db().variation.findMany({
    where: { runId: r.runId },
    select: { submittedAt: true, finishedAt: true, outputAsset: { select: { sha256: true } } },
  });
  const spans = rows.map((v) => v.finishedAt!.getTime() - v.submittedAt!.getTime()).sort((a, b) => a - b);
  if (process.env.FANOUT_DEBUG) {
    const all = await db().variation.findMany({
      where: { runId: r.runId },
      select: { id: true, targetId: true, startedAt: true, submittedAt: true, finishedAt: true },
    });
    const wall = Date.now() - performance.now();
    const at = (d: Date | null) => String(Math.round(d!.getTime() - (wall + t0))).padStart(6);
    for (const v of all)
      console.error(
        `${v.targetId.padEnd(45)} claimed ${at(v.startedAt)} submitted ${at(v.submittedAt)} stored ${at(v.finishedAt)} shown ${String(Math.round(shown.get(v.id)!.at - t0)).padStart(6)}`,
      );
    console.error('');
  }
  let thumbsReady = 0;
  for (const v of rows) if (await blobStore().get(blobKey(v.outputAsset!.sha256, 'thumb'))) thumbsReady++;
  return { clickToAllShownMs: last - t0, providerMsMedian: spans[Math.floor(spans.length / 2)]!, thumbsReady };
}

const rounds: Round[] = [];
for (let i = 0; i < ROUNDS; i++) {
  rounds.push(await round());
  // The next click comes a moment later, as a designer's would.
  await new Promise((res) => setTimeout(res, 300));
}
await stopWorker();
console.log(`RESULT ${JSON.stringify({ rounds })}`);
process.exit(0);
