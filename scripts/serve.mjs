// `npm run dev` / `npm start`: Next.js on 127.0.0.1 unless HOST (or -H) says otherwise, and
// never on a reachable address without a sign-in secret. Usage: node scripts/serve.mjs dev|start [next args]
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { bindProblems, splitHostArg } from './serve-check.mjs';

const [mode, ...args] = process.argv.slice(2);
if (mode !== 'dev' && mode !== 'start') {
  console.error('usage: node scripts/serve.mjs dev|start [next options]');
  process.exit(2);
}

// .env files the way Next.js reads them, so the check sees what the server will see.
const requireFromNext = createRequire(createRequire(import.meta.url).resolve('next/package.json'));
requireFromNext('@next/env').loadEnvConfig(process.cwd(), mode === 'dev', { info: () => {}, error: console.error });

const { host: argHost, rest } = splitHostArg(args);
const host = argHost || process.env.HOST?.trim() || '127.0.0.1';
const problems = bindProblems(host, process.env);
if (problems.length > 0) {
  console.error(`Proofsheet did not start:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  process.exit(1);
}

const next = spawn(process.execPath, [requireFromNext.resolve('next/dist/bin/next'), mode, '-H', host, ...rest], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => next.kill(signal));
next.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
