import 'server-only';

/**
 * `host:port` as the allow-list compares it: the host as the URL parser normalises it (lower
 * case, IPv4 in dotted decimal whatever form it was written in, IPv6 compressed in brackets) and
 * the port the connection goes to (the scheme's default when the URL has none).
 */
export function hostPortOf(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}

/**
 * One OUTBOUND_ALLOW_HOSTS entry (`127.0.0.1:8188`, `Comfy.LAN:8188`, `[::1]:8188`) in the
 * form hostPortOf() gives, or an error saying what is wrong. A port is required: allowing a
 * whole host would open every service on it (a database, a router's admin page) too.
 */
export function parseAllowEntry(entry: string): { key: string } | { error: string } {
  const text = entry.trim();
  if (!/^(\[[0-9a-fA-F:.]+\]|[^\s/:@[\]]+):(\d{1,5})$/.test(text)) {
    return { error: `"${text}" is not host:port (e.g. 127.0.0.1:8188 or comfy.lan:8188)` };
  }
  let url: URL;
  try {
    url = new URL(`http://${text}/`);
  } catch {
    return { error: `"${text}" is not a valid host:port` };
  }
  const port = text.slice(text.lastIndexOf(':') + 1);
  if (Number(port) < 1 || Number(port) > 65535) return { error: `"${text}" has no valid port` };
  return { key: `${url.hostname}:${Number(port)}` };
}
