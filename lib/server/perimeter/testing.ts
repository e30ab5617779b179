import { afterEach } from 'vitest';
import { resetEnvCache } from '../env';

const KEYS = [
  'ACCESS_TOKEN',
  'ACCESS_PASSWORD',
  'ALLOWED_HOSTS',
  'PUBLIC_BASE_URL',
  'HOST',
  'URL_SIGNING_SECRET',
  'INPUT_URL_TTL_SECONDS',
] as const;

/** Sets perimeter variables for one test; every test file using it starts and ends with none. */
export function usePerimeterEnv(): (vars: Partial<Record<(typeof KEYS)[number], string>>) => void {
  const clear = () => {
    for (const k of KEYS) delete process.env[k];
    resetEnvCache();
  };
  clear();
  afterEach(clear);
  return (vars) => {
    clear();
    Object.assign(process.env, vars);
    resetEnvCache();
  };
}

/** Forgets failed sign-ins between tests (the limiter lives on globalThis, shared by bundles). */
export function resetSignInLimiter(): void {
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('proofsheet.signInLimiter')];
}

export const TOKEN = 'correct-horse-battery-staple';
