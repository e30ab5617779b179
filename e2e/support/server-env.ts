export const E2E_PORT = 3210;
/** Port of the fake providers' health check; each fake listens on its own port (see fakes/serve.ts). */
export const FAKES_HEALTH_PORT = 4599;

/** Environment for an app server under test: its own data folder and build folder. */
export function e2eServerEnv(dataDir: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  if (!dataDir) throw new Error('E2E_DATA_DIR is not set');
  return {
    ...inherited(),
    NEXT_TELEMETRY_DISABLED: '1',
    NEXT_DIST_DIR: '.next-e2e',
    DATA_DIR: dataDir,
    WORKER_LEASE_MS: '6000',
    ...extra,
  };
}

function inherited(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('E2E_')) out[k] = v;
  return out;
}

/** Playwright and npm scripts run from the repository root. */
export const repoRoot = process.cwd();
