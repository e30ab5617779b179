import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';

/**
 * Prisma CLI configuration. It lives in `.config/` (a location Prisma 7 searches by
 * itself, next to `prisma.config.ts`) so the repository's top level stays fixed, and so a
 * plain `npx prisma <command>` from the repo root picks it up without `--config`.
 */

// This file sits in <repo>/.config/, and Prisma resolves schema/migrations paths from here.
const repoRoot = path.resolve(import.meta.dirname, '..');

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
