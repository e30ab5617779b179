import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindProblems, isLoopbackHost, splitHostArg } from './serve-check.mjs';

describe('what npm run dev / npm start check before binding', () => {
  it('knows loopback names', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', 'studio.localhost']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.20', 'studio.lan', '128.0.0.1']) expect(isLoopbackHost(h)).toBe(false);
  });

  it('starts on loopback without a secret', () => {
    expect(bindProblems('127.0.0.1', {})).toEqual([]);
  });

  it('refuses a reachable address without a secret, saying what to set', () => {
    const [problem] = bindProblems('0.0.0.0', {});
    expect(problem).toMatch(/ACCESS_TOKEN/);
    expect(problem).toMatch(/unset HOST/);
    expect(bindProblems('0.0.0.0', { ACCESS_TOKEN: 'long-enough-token' })).toEqual([]);
    expect(bindProblems('0.0.0.0', { ACCESS_PASSWORD: 'long-enough-password' })).toEqual([]);
  });

  it('refuses a public PUBLIC_BASE_URL without a secret, and secrets that are too short', () => {
    expect(bindProblems('127.0.0.1', { PUBLIC_BASE_URL: 'https://studio.example.com' })[0]).toMatch(/PUBLIC_BASE_URL/);
    expect(bindProblems('127.0.0.1', { PUBLIC_BASE_URL: 'http://127.0.0.1:3210' })).toEqual([]);
    expect(bindProblems('0.0.0.0', { ACCESS_TOKEN: 'short' })[0]).toMatch(/shorter than 12/);
  });

  it('takes -H / --hostname out of the arguments', () => {
    expect(splitHostArg(['-p', '4000', '-H', '0.0.0.0'])).toEqual({ host: '0.0.0.0', rest: ['-p', '4000'] });
    expect(splitHostArg(['--hostname=::'])).toEqual({ host: '::', rest: [] });
    expect(splitHostArg([])).toEqual({ host: undefined, rest: [] });
  });

  it('the start script exits with the message before Next.js starts', () => {
    const script = path.resolve(import.meta.dirname, 'serve.mjs');
    // A folder without .env, so the developer's own settings do not leak into the check.
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'proofsheet-serve-'));
    const env = { PATH: process.env.PATH ?? '', HOME: cwd, HOST: '0.0.0.0' } as unknown as NodeJS.ProcessEnv;
    const result = spawnSync(process.execPath, [script, 'start', '-p', '1'], { cwd, env, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Proofsheet did not start');
    expect(result.stderr).toContain('ACCESS_TOKEN');
  });
});
