import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resetEnvCache } from '@/lib/server/env';

/** Points DATA_DIR at a fresh temporary folder: a real SQLite file and blob store per test file. */
export function useTempDataDir(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'proofsheet-test-'));
  process.env.DATA_DIR = dir;
  for (const [k, v] of Object.entries(extra)) process.env[k] = v;
  resetEnvCache();
  return dir;
}
