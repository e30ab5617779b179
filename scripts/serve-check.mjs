// What `npm run dev` / `npm start` check before binding (scripts/serve.mjs). Plain JS: it runs
// before anything is built. The app enforces the same rules per request (lib/server/perimeter).

const MIN_SECRET = 12;

/** True for names and addresses that only this machine can reach. */
export function isLoopbackHost(host) {
  const h = String(host)
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The hostname of an http(s) URL, or undefined when it is not one. */
function urlHost(value) {
  try {
    return new URL(value).hostname;
  } catch {
    return undefined;
  }
}

/**
 * The problems that must stop the server from starting: a non-loopback bind or public address
 * without a sign-in secret, or a secret too short to resist guessing. Empty: start.
 */
export function bindProblems(host, env) {
  const secrets = [env.ACCESS_TOKEN, env.ACCESS_PASSWORD].map((s) => (s ?? '').trim()).filter(Boolean);
  const problems = [];
  for (const name of ['ACCESS_TOKEN', 'ACCESS_PASSWORD']) {
    const value = (env[name] ?? '').trim();
    if (value && value.length < MIN_SECRET) problems.push(`${name} is shorter than ${MIN_SECRET} characters; use a longer one.`);
  }
  if (secrets.length > 0) return problems;
  const fix =
    'Set ACCESS_TOKEN in .env (for example the output of `openssl rand -base64 24`); the studio will then ask for it on a sign-in page.';
  if (!isLoopbackHost(host)) {
    problems.push(
      `Proofsheet would listen on ${host}, which other machines can reach, but no ACCESS_TOKEN is set: anyone on the network could use the studio and its provider keys.\n  ${fix}\n  Or unset HOST to listen on this machine only (127.0.0.1).`,
    );
  }
  const publicHost = env.PUBLIC_BASE_URL ? urlHost(env.PUBLIC_BASE_URL.trim()) : undefined;
  if (publicHost && !isLoopbackHost(publicHost)) {
    problems.push(`PUBLIC_BASE_URL (${publicHost}) exposes this server beyond this machine, but no ACCESS_TOKEN is set.\n  ${fix}`);
  }
  return problems;
}

/** `-H x` / `--hostname x` / `--hostname=x` taken out of Next's arguments. */
export function splitHostArg(args) {
  const rest = [];
  let host;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-H' || a === '--hostname') host = args[++i];
    else if (a.startsWith('--hostname=')) host = a.slice('--hostname='.length);
    else rest.push(a);
  }
  return { host, rest };
}
