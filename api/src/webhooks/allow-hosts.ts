/**
 * The operator's webhook allow list, `PURNA_WEBHOOK_ALLOW_HOSTS`: comma-separated host names or IP literals
 * (`127.0.0.1, ::1, hooks.internal`) whose endpoints may reach addresses the address policy otherwise refuses, and
 * may use plain `http`. It exists for tests and local development, and for an operator who deliberately delivers
 * to an internal service.
 *
 * Matching is exact on the URL's host, after the same normalisation the URL parser applies (lower case, IPv4 in
 * dotted-quad, IPv6 compressed, a trailing dot dropped): `127.1` on the list is `127.0.0.1`; `localhost` is not
 * `127.0.0.1`, and no wildcard or suffix matches, so that listing one name never opens a whole domain.
 */

/**
 * Normalised host names and IP literals (IPv6 in brackets, as URL `hostname`s spell them).
 *
 * @example
 * const allowHosts: AllowHosts = parseAllowHosts('127.0.0.1,::1'); // Set { '127.0.0.1', '[::1]' }
 */
export type AllowHosts = ReadonlySet<string>;

/**
 * An empty allow list: only public addresses over https.
 *
 * @example
 * await checkEndpointUrl(url, { allowHosts: NO_ALLOW_HOSTS });
 */
export const NO_ALLOW_HOSTS: AllowHosts = new Set<string>();

/**
 * Reads the `PURNA_WEBHOOK_ALLOW_HOSTS` value (unset or empty: nothing is allowed).
 *
 * @throws TypeError naming each entry that is not a bare host name or IP literal (a scheme, port, path, user or
 *   wildcard is not allowed).
 * @example
 * const allowHosts = parseAllowHosts(process.env.PURNA_WEBHOOK_ALLOW_HOSTS); // Set { '127.0.0.1', '[::1]' }
 */
export function parseAllowHosts(value: string | undefined): AllowHosts {
  if (value === undefined || value.trim() === '') return NO_ALLOW_HOSTS;
  const hosts = new Set<string>();
  const problems: string[] = [];
  value.split(',').forEach((raw, index) => {
    const entry = raw.trim();
    if (entry === '') return;
    const host = normalizeHost(entry);
    if (host === undefined) {
      problems.push(`entry ${index + 1} (${JSON.stringify(entry)})`);
    } else {
      hosts.add(host);
    }
  });
  if (problems.length > 0) {
    throw new TypeError(
      `PURNA_WEBHOOK_ALLOW_HOSTS must list bare host names or IP literals separated by commas (no scheme, port, path or wildcard); ${problems.join(', ')} ${problems.length === 1 ? 'is' : 'are'} not one.`,
    );
  }
  return hosts;
}

/**
 * Whether the host of a URL is on the allow list.
 *
 * @example
 * isAllowListed(new URL('http://127.0.0.1:8080/hook').hostname, parseAllowHosts('127.0.0.1')); // true
 */
export function isAllowListed(hostname: string, allowHosts: AllowHosts): boolean {
  if (allowHosts.size === 0) return false;
  const host = normalizeHost(hostname);
  return host !== undefined && allowHosts.has(host);
}

/**
 * The form a host takes on the allow list, or undefined when `text` is not a bare host.
 *
 * @example
 * normalizeHost('LOCALHOST.'); // 'localhost'
 * normalizeHost('::1'); // '[::1]'
 */
export function normalizeHost(text: string): string | undefined {
  if (text === '' || /[\s/\\?#@*]/.test(text)) return undefined;
  // The URL parser drops a default port, so "[::1]:80" would otherwise pass for "[::1]".
  if (text.startsWith('[') !== text.endsWith(']')) return undefined;
  // An unbracketed IPv6 literal is bracketed so that the URL parser reads it as a host, not as host:port.
  const bracketed = text.includes(':') && !text.startsWith('[') ? `[${text}]` : text;
  let url: URL;
  try {
    url = new URL(`http://${bracketed}/`);
  } catch {
    return undefined;
  }
  if (url.port !== '' || url.hostname === '' || url.host !== url.hostname) return undefined;
  const host = url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
  return host === '' ? undefined : host;
}
