import 'server-only';
import net from 'node:net';
import os from 'node:os';

/**
 * The hostname of a Host header value (`name`, `name:port`, `[v6]`, `[v6]:port`), lowercase
 * and without the port or a trailing dot; undefined when it is not a plausible host.
 */
export function hostnameOf(hostHeader: string | null | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const value = hostHeader.trim().toLowerCase();
  let name: string;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return undefined;
    const rest = value.slice(end + 1);
    if (rest && !/^:\d{1,5}$/.test(rest)) return undefined;
    name = value.slice(0, end + 1);
    if (!net.isIPv6(name.slice(1, -1))) return undefined;
    return name;
  }
  const colon = value.lastIndexOf(':');
  if (colon >= 0) {
    if (!/^\d{1,5}$/.test(value.slice(colon + 1))) return undefined;
    name = value.slice(0, colon);
  } else {
    name = value;
  }
  name = name.replace(/\.$/, '');
  if (!/^[a-z0-9.-]{1,253}$/.test(name)) return undefined;
  return name;
}

const LOOPBACK_NAMES = new Set(['localhost', '[::1]']);

/** localhost, *.localhost (RFC 6761: always this machine), 127.0.0.0/8 and [::1]. */
export function isLoopbackHostname(name: string): boolean {
  if (LOOPBACK_NAMES.has(name) || name.endsWith('.localhost')) return true;
  return net.isIPv4(name) && name.startsWith('127.');
}

/** `a.example, b.example:8080` → hostnames; ports are ignored (the allow-list is about names). */
export function parseHostList(list: string): string[] {
  return list
    .split(',')
    .map((h) =>
      hostnameOf(
        h
          .trim()
          .replace(/^[a-z]+:\/\//i, '')
          .replace(/\/.*$/, ''),
      ),
    )
    .filter((h): h is string => !!h);
}

/**
 * This machine's own interface addresses: a browser that typed one of them cannot be a
 * rebinding victim (rebinding needs a name the attacker controls), so with sign-in on they
 * are allowed without listing them in ALLOWED_HOSTS.
 */
export function interfaceHostnames(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      const address = a.address.toLowerCase().replace(/%.*$/, '');
      out.add(a.family === 'IPv6' ? `[${address}]` : address);
    }
  }
  return out;
}
