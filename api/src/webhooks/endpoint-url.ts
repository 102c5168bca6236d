/**
 * Whether a webhook endpoint URL may be called, and at which addresses. Run it when an endpoint is registered
 * (to refuse a bad URL with a clear message) and again before every delivery (the sender does): DNS answers
 * change, and a name that resolved to a public address yesterday may resolve to 10.0.0.1 today.
 *
 * Rules: the URL must parse, use https (plain http only for an allow-listed host), carry no user name or password
 * (the signature is the authentication, and credentials in a URL end up in logs), and have a host. An IP-literal
 * host is checked directly; a name is resolved through the injected resolver and EVERY answer must pass the
 * address policy, because the connection could go to any of them. The answer lists the checked addresses so the
 * sender connects to exactly those and never asks DNS again.
 *
 * An approval of a URL whose host is an IP literal depends on nothing but the URL and the allow list, so it is kept
 * (per allow list, for the last {@link LITERAL_CHECKS_KEPT} such URLs) and given again: the delivery worker checks
 * the same URL for every webhook, and parsing and checking it was a twentieth of what a send cost. A name is
 * resolved and its answers checked every time.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { setNewest } from '@purna/ledger';
import { ADDRESS_POLICY_ADVICE, type AddressReason, checkAddress } from './address-policy.js';
import { isAllowListed, NO_ALLOW_HOSTS, type AllowHosts } from './allow-hosts.js';
import { parseIpLiteral } from './ip-literal.js';

/**
 * One answer of a resolver.
 *
 * @example
 * const answer: ResolvedAddress = { address: '2606:4700:4700::1111', family: 6 };
 */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/**
 * Resolves a host name to its addresses, as `dns.promises.lookup(host, { all: true })` does.
 *
 * @example
 * const fake: HostResolver = async () => [{ address: '8.8.8.8', family: 4 }];
 */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/**
 * The system resolver (getaddrinfo, so /etc/hosts counts), every answer in the order the system gives.
 *
 * @example
 * await systemResolver('example.com'); // [{ address: '93.184.215.14', family: 4 }, …]
 */
export const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true, order: 'verbatim' });

/**
 * Why an endpoint URL is refused (kebab-case, stable).
 *
 * @example
 * if (check.reason === 'https-required') suggestHttps();
 */
export type EndpointReason =
  | 'invalid-url'
  | 'unsupported-scheme'
  | 'https-required'
  | 'credentials-in-url'
  | 'missing-host'
  | 'unresolvable-host'
  | AddressReason;

/**
 * An endpoint that may be called, with everything the sender needs to call it.
 *
 * @example
 * // { ok: true, url, hostname: 'hooks.example.com', port: 443, tls: true,
 * //   addresses: [{ address: '203.0.113.9', family: 4 }], allowListed: false }
 */
export interface CheckedEndpoint {
  readonly ok: true;
  readonly url: URL;
  /** The host without IPv6 brackets or a trailing dot: for TLS server name and messages. */
  readonly hostname: string;
  readonly port: number;
  readonly tls: boolean;
  /** The checked addresses, deduplicated, in resolver order. Connect only to these. */
  readonly addresses: ReadonlyArray<{ readonly address: string; readonly family: 4 | 6 }>;
  /** True when the URL's host is on the allow list (so http and non-public addresses were allowed). */
  readonly allowListed: boolean;
}

/**
 * A refused endpoint.
 *
 * @example
 * // { ok: false, reason: 'credentials-in-url', message: 'url: must not carry a user name or password (…)' }
 */
export interface RefusedEndpoint {
  readonly ok: false;
  readonly reason: EndpointReason;
  /** Starts with `url: `, says what was wrong and where. */
  readonly message: string;
}

/**
 * The answer of {@link checkEndpointUrl}.
 *
 * @example
 * const check: EndpointCheck = await checkEndpointUrl(url, { allowHosts });
 * if (!check.ok) throw new ValidationError(check.message);
 */
export type EndpointCheck = CheckedEndpoint | RefusedEndpoint;

/**
 * What {@link checkEndpointUrl} needs besides the URL.
 *
 * @example
 * const options: EndpointCheckOptions = { allowHosts: parseAllowHosts(env.PURNA_WEBHOOK_ALLOW_HOSTS) };
 */
export interface EndpointCheckOptions {
  /** Hosts allowed to use http and non-public addresses (default: none). */
  readonly allowHosts?: AllowHosts;
  /** Default: {@link systemResolver}. Tests inject one so that nothing touches real DNS. */
  readonly resolve?: HostResolver;
}

/**
 * Checks an endpoint URL against the scheme, credential and address rules, resolving its host.
 * Never throws: every problem, a failing resolver included, is a refusal.
 *
 * @example
 * const check = await checkEndpointUrl('https://hooks.example.com/purna', { allowHosts });
 * if (!check.ok) return badRequest(check.message);
 * // check.addresses: [{ address: '203.0.113.9', family: 4 }] — the only addresses the sender may use
 */
export async function checkEndpointUrl(url: string, options: EndpointCheckOptions = {}): Promise<EndpointCheck> {
  const allowHosts = options.allowHosts ?? NO_ALLOW_HOSTS;
  const kept = literalChecks.get(allowHosts)?.get(url);
  if (kept !== undefined) return kept;
  const check = await checkUrl(url, allowHosts, options.resolve ?? systemResolver);
  // Approved with no resolver asked: the host is an address (a refusal is not kept; it is not on a hot path).
  if (check.ok && isIP(check.hostname) !== 0) {
    let byUrl = literalChecks.get(allowHosts);
    if (byUrl === undefined) {
      byUrl = new Map();
      literalChecks.set(allowHosts, byUrl);
    }
    setNewest(byUrl, url, check, LITERAL_CHECKS_KEPT);
  }
  return check;
}

/** IP-literal URLs whose answer is kept, per allow list. */
const LITERAL_CHECKS_KEPT = 1000;

/**
 * The answers kept for IP-literal URLs, by allow list (a set is read-only once parsed from the environment) and URL.
 * An answer is shared: the sender reads its `url` and never changes it.
 */
const literalChecks = new WeakMap<AllowHosts, Map<string, CheckedEndpoint>>();

async function checkUrl(url: string, allowHosts: AllowHosts, resolve: HostResolver): Promise<EndpointCheck> {
  let parsed: URL;
  try {
    if (typeof url !== 'string') throw new TypeError('not a string');
    parsed = new URL(url);
  } catch {
    // The text is not echoed: it may hold credentials, and an unparsable URL has no part worth naming.
    return refuse('invalid-url', 'url: is not an absolute URL (expected https://host/path)');
  }
  const allowListed = parsed.hostname !== '' && isAllowListed(parsed.hostname, allowHosts);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return refuse('unsupported-scheme', `url: the scheme ${parsed.protocol} is not supported; webhook URLs use https`);
  }
  if (parsed.protocol === 'http:' && !allowListed) {
    return refuse(
      'https-required',
      `url: ${parsed.hostname} must be called over https; plain http is allowed only for hosts on PURNA_WEBHOOK_ALLOW_HOSTS`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return refuse(
      'credentials-in-url',
      `url: must not carry a user name or password (before "@" in ${parsed.hostname}); webhooks are authenticated by their signature`,
    );
  }
  if (parsed.hostname === '') return refuse('missing-host', 'url: has no host');

  const hostname = bareHost(parsed.hostname);
  const literal = parseIpLiteral(parsed.hostname);
  let answers: readonly ResolvedAddress[];
  if (literal) {
    answers = [{ address: hostname, family: literal.family }];
  } else {
    let list: unknown;
    try {
      list = await resolve(parsed.hostname);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      const why = typeof code === 'string' ? ` (${code})` : '';
      return refuse('unresolvable-host', `url: ${hostname} could not be resolved${why}`);
    }
    if (!Array.isArray(list) || list.length === 0) {
      return refuse('unresolvable-host', `url: ${hostname} resolved to no address`);
    }
    answers = list as readonly ResolvedAddress[];
  }

  const addresses: Array<{ address: string; family: 4 | 6 }> = [];
  for (const answer of answers) {
    // A resolver is injected code: an answer without an address becomes "undefined", which the policy refuses.
    const verdict = checkAddress(parsed.hostname, String((answer as Partial<ResolvedAddress> | null)?.address), allowHosts);
    if (!verdict.allowed) {
      return refuse(verdict.reason, literal ? `url: ${verdict.message}` : resolvedRefusal(hostname, verdict));
    }
    if (!addresses.some((known) => known.address === verdict.address)) {
      addresses.push({ address: verdict.address, family: verdict.family });
    }
  }
  const tls = parsed.protocol === 'https:';
  return {
    ok: true,
    url: parsed,
    hostname,
    port: parsed.port === '' ? (tls ? 443 : 80) : Number(parsed.port),
    tls,
    addresses,
    allowListed,
  };
}

function refuse(reason: EndpointReason, message: string): RefusedEndpoint {
  return { ok: false, reason, message };
}

// Names the host and the address it resolved to: the pair an operator can check with `dig`.
function resolvedRefusal(hostname: string, verdict: { address: string; reason: EndpointReason; description: string }): string {
  if (verdict.reason === 'invalid-address') {
    return `url: ${hostname} resolves to ${JSON.stringify(verdict.address)}, which is not an IP address`;
  }
  return `url: ${hostname} resolves to ${verdict.address}, ${verdict.description}; ${ADDRESS_POLICY_ADVICE}`;
}

function bareHost(hostname: string): string {
  const unbracketed = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  return unbracketed.endsWith('.') ? unbracketed.slice(0, -1) : unbracketed;
}
