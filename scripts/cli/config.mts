import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CliError, EXIT } from './exit-codes.mts';

export type Credentials = { server: string; token: string };

export function configPath(): string {
  const base = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'proofsheet', 'config.json');
}

/** The token file is a secret: the folder is 0700 and the file 0600, whatever the umask. */
export async function saveCredentials(creds: Credentials): Promise<string> {
  const file = configPath();
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}

/** Flags, then PROOFSHEET_SERVER / PROOFSHEET_TOKEN, then the file written by `login`. */
export async function loadCredentials(flags: { server?: string; token?: string } = {}): Promise<Credentials> {
  let stored: Partial<Credentials> = {};
  try {
    stored = JSON.parse(await readFile(configPath(), 'utf8')) as Partial<Credentials>;
  } catch {
    // No file yet: env or flags must provide both.
  }
  const server = flags.server || process.env.PROOFSHEET_SERVER || stored.server;
  const token = flags.token || process.env.PROOFSHEET_TOKEN || stored.token;
  if (!server || !token)
    throw new CliError(
      'Not logged in: run `proofsheet login --server URL --token TOKEN` or set PROOFSHEET_SERVER and PROOFSHEET_TOKEN.',
      EXIT.auth,
    );
  return { server: normalizeServer(server), token };
}

export function normalizeServer(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new CliError(`Not a URL: ${server}`, EXIT.usage);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`Not an http(s) URL: ${server}`, EXIT.usage);
  return url.origin + url.pathname.replace(/\/+$/, '');
}
