import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const APP_NAME = 'proofsheet';

/**
 * The folder the app lives in (package.json, prisma/migrations), whatever the working
 * directory: relative DATA_DIR and DATABASE_URL paths and the migrations resolve from here,
 * so `next start /path/to/proofsheet` run from elsewhere opens the same database.
 *
 * Where to look, first match wins:
 * 1. PROOFSHEET_ROOT, when set (refused unless it is the app's folder).
 * 2. Above this module's own file: right for vitest and tsx scripts, which run the sources.
 *    Not inside Next (dev or build), where bundled code sees a placeholder path (Turbopack
 *    writes `/ROOT/...`), which matches nothing and is skipped.
 * 3. Above the script node was started with (`process.argv[1]`): for `next start`/`next dev`
 *    that is `<app>/node_modules/next/dist/bin/next` (or `.bin/next`), in the app's folder.
 * 4. Above the working directory, as a last resort.
 * Nothing found: an error naming PROOFSHEET_ROOT, never a guess that would create an empty
 * database somewhere else.
 */
export function findAppRoot(configured: string | undefined, hints: (string | undefined)[] = defaultHints()): string {
  if (configured) {
    const dir = path.resolve(configured);
    if (!isAppRoot(dir))
      throw new Error(
        `PROOFSHEET_ROOT (${dir}) is not the Proofsheet folder: it has no package.json named "${APP_NAME}" beside prisma/migrations.`,
      );
    return dir;
  }
  for (const hint of hints) {
    const found = hint ? findUp(hint) : undefined;
    if (found) return found;
  }
  throw new Error(
    `Cannot find the Proofsheet folder (looked above ${hints.filter(Boolean).join(', ')}). Set PROOFSHEET_ROOT to the folder that holds its package.json.`,
  );
}

function defaultHints(): (string | undefined)[] {
  return [moduleDir(), process.argv[1], process.cwd()];
}

function moduleDir(): string | undefined {
  try {
    return path.dirname(fileURLToPath(import.meta.url));
  } catch {
    return undefined;
  }
}

function findUp(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (isAppRoot(dir)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Its package.json names the app (`.next/package.json` and node_modules' do not) and it has migrations. */
function isAppRoot(dir: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return pkg.name === APP_NAME && fs.statSync(path.join(dir, 'prisma', 'migrations')).isDirectory();
  } catch {
    return false;
  }
}
