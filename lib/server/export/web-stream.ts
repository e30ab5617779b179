import 'server-only';
import type { Readable } from 'node:stream';

/**
 * A Node stream as a web ReadableStream that reads only when the browser pulls (high-water
 * mark 0): the zip is produced as fast as the download drains, never ahead of it. Written by
 * hand rather than `Readable.toWeb`, whose queueing strategy counted chunks against a byte
 * high-water mark and let the source run ahead of the consumer before nodejs/node#46347 was
 * fixed (Node 20.20 behaves; `engines` allows older 20.x). The test in zip.test.ts checks it. Cancelling the download destroys the source, which stops the zip.
 */
export function pullStream(source: Readable): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await it.next();
          if (done) controller.close();
          else controller.enqueue(value instanceof Uint8Array ? value : Buffer.from(value as string));
        } catch (e) {
          controller.error(e);
        }
      },
      async cancel(reason) {
        source.destroy(reason instanceof Error ? reason : undefined);
        await it.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
