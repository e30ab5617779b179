import 'server-only';
import { env, type Env } from './env';

/** Every configured secret, read once per env snapshot: the keys of every provider. */
function configuredSecrets(): string[] {
  const e: Env = env();
  return Object.entries(e).flatMap(([name, value]) =>
    /(_KEY|_KEY_ID|_TOKEN|_SECRET|_PASSWORD)$/.test(name) && typeof value === 'string' && value.length >= 4 ? [value] : [],
  );
}

/**
 * The one place secrets are removed from text that may be shown or logged: every configured
 * key, any extra secret the caller holds, and anything that looks like a bearer credential.
 */
export function redact(text: string, extra: (string | undefined)[] = []): string {
  let out = text;
  let secrets: string[] = [];
  try {
    secrets = configuredSecrets();
  } catch {
    // An invalid environment must not stop an error from being reported.
  }
  for (const s of [...secrets, ...extra]) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out.replace(/\b(Bearer|Key|Token)\s+[A-Za-z0-9._\-:]{8,}/g, '$1 [redacted]');
}
