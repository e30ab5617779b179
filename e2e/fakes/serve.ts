/** Starts every fake provider on its fixed port for the end-to-end run (see playwright.config.ts). */
import http from 'node:http';
import { FAKES } from './registry';
import { FAKES_HEALTH_PORT } from '../support/server-env';

async function main() {
  const servers = await Promise.all(FAKES.map((f) => f.start(f.port)));
  const health = http.createServer((_req, res) => res.end('ok')).listen(FAKES_HEALTH_PORT, '127.0.0.1');
  console.log(`fakes up: ${servers.map((s) => `${s.name} ${s.url}`).join(', ')}`);
  const stop = async () => {
    health.close();
    await Promise.all(servers.map((s) => s.close()));
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
