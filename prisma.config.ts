import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';

/** Prisma CLI configuration, at the root where the CLI looks first (`npx prisma <command>`). */

const repoRoot = import.meta.dirname;

// The native schema engine would be downloaded from binaries.prisma.sh (unreachable offline
// and behind firewalls). The shim speaks the same JSON-RPC protocol on top of the wasm engine.
// Set before the CLI resolves its engines, which happens after the config is loaded.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ||= path.join(repoRoot, 'scripts', 'schema-engine-shim.mjs');
// Otherwise the CLI does an update check (a network call) on every command.
process.env.CHECKPOINT_DISABLE ||= '1';

/** Same file as the app uses: lib/server/env.ts -> <DATA_DIR>/proofsheet.db, relative paths from the repo root. */
function databaseUrl(): string {
  const fromEnv = process.env.DATABASE_URL?.trim();
  if (fromEnv) {
    if (!fromEnv.startsWith('file:')) return fromEnv;
    // Absolute, so the answer does not depend on which directory the engine runs in.
    const file = path.resolve(repoRoot, fromEnv.slice('file:'.length).replace(/\?.*$/, ''));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return `file:${file}`;
  }
  const dataDir = path.resolve(repoRoot, process.env.DATA_DIR?.trim() || './data');
  fs.mkdirSync(dataDir, { recursive: true });
  return `file:${path.join(dataDir, 'proofsheet.db')}`;
}

export default defineConfig({
  schema: path.join(repoRoot, 'prisma', 'schema.prisma'),
  migrations: { path: path.join(repoRoot, 'prisma', 'migrations') },
  datasource: { url: databaseUrl() },
});
