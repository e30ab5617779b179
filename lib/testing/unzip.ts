import yauzl from 'yauzl';

/**
 * Every entry of a zip (its bytes, or a response streaming it), in order, read with yauzl (not the code that wrote it). For tests only:
 * the export's unit tests and its end-to-end spec read their zips with this.
 */
export async function unzip(source: Buffer | Response): Promise<Map<string, Buffer>> {
  const zipped = source instanceof Response ? Buffer.from(await source.arrayBuffer()) : source;
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(zipped, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const parts: Buffer[] = [];
        stream.on('data', (c: Buffer) => parts.push(c));
        stream.on('end', () => {
          files.set(entry.fileName, Buffer.concat(parts));
          zip.readEntry();
        });
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return files;
}
