import 'server-only';
import { env } from '../env';
import { isLoopbackHostname, parseHostList } from './hosts';

export type PerimeterConfig = {
  /** Secrets that sign in (ACCESS_TOKEN, ACCESS_PASSWORD); empty: no sign-in, loopback only. */
  readonly secrets: readonly string[];
  /** Host names (lowercase, no port) the studio answers to besides loopback. */
  readonly extraHosts: ReadonlySet<string>;
  /** Origin of PUBLIC_BASE_URL, when set (vendors fetch inputs there; it may also serve the studio). */
  readonly publicOrigin?: string;
};

/** True when a sign-in secret is configured: every studio request then needs a session. */
export function accessRequired(config: PerimeterConfig = perimeterConfig()): boolean {
  return config.secrets.length > 0;
}

export function perimeterConfig(): PerimeterConfig {
  const e = env();
  const secrets = [e.ACCESS_TOKEN, e.ACCESS_PASSWORD].filter((s): s is string => !!s);
  const extraHosts = new Set(parseHostList(e.ALLOWED_HOSTS));
  let publicOrigin: string | undefined;
  if (e.PUBLIC_BASE_URL) {
    const url = new URL(e.PUBLIC_BASE_URL);
    publicOrigin = url.origin;
    extraHosts.add(url.hostname.toLowerCase());
  }
  // A specific bind address (HOST=192.168.1.20) is a name the studio is reached by.
  if (e.HOST && !isWildcard(e.HOST)) {
    const [name] = parseHostList(e.HOST);
    if (name && !isLoopbackHostname(name)) extraHosts.add(name);
  }
  return { secrets, extraHosts, publicOrigin };
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}
