// The webhook-URL rule, in one place for every door that sets a URL (project creation, the
// management API) and for the dispatcher before each delivery: http(s) only, `https://` for
// live-mode events, and no loopback, private, link-local, metadata or otherwise internal
// address, checked on every address the name resolves to, unless private webhooks are allowed
// (TESSERA_ALLOW_PRIVATE_WEBHOOKS=1, for local demos and tests). docs/webhooks.md has the rule.
import dns from 'node:dns'
import net from 'node:net'
import { InvalidRequestError } from '../errors.js'
import type { Mode } from '../store/schema.js'

export interface ResolvedAddress {
  address: string
  family: 4 | 6
}

/** Resolves a host name to every address it has (injected so tests never ask a real resolver). */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>

export const systemResolve: Resolve = async (hostname) =>
  (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }))

export interface WebhookUrlPolicy {
  /** TESSERA_ALLOW_PRIVATE_WEBHOOKS=1: internal addresses allowed (local demos, tests). */
  allowPrivate: boolean
  resolve: Resolve
}

export interface WebhookUrlCheck extends WebhookUrlPolicy {
  /** The mode of the event to deliver; unset when a URL is set (it serves both modes). */
  mode?: Mode
  /**
   * `set`: a URL being stored. A name that does not resolve yet is accepted (its DNS may
   * follow; every delivery checks again), and with private addresses allowed nothing is looked up.
   * `deliver`: the name must resolve, and the answer lists the addresses to connect to.
   */
  purpose: 'set' | 'deliver'
}

/** A URL that passed the rule, with the addresses that were checked: connect to these only. */
export interface CheckedWebhookUrl {
  url: URL
  addresses: ResolvedAddress[]
}

export class WebhookUrlError extends InvalidRequestError {
  constructor(message: string) {
    super('invalid_webhook_url', message, 'webhook_url')
  }
}

type Cidr = readonly [network: bigint, bits: number, what: string]

const v4 = (text: string): bigint => text.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n)
const v6 = (text: string): bigint => {
  const [head = '', tail] = text.split('::')
  const groups = (part: string) =>
    part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? [Number(v4(g) >> 16n), Number(v4(g) & 0xffffn)] : [parseInt(g, 16)]))
  const left = groups(head)
  const right = tail === undefined ? [] : groups(tail)
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right].reduce((n, g) => (n << 16n) | BigInt(g), 0n)
}

const V4_BLOCKED: Cidr[] = [
  [v4('0.0.0.0'), 8, 'an unspecified ("this network") address'],
  [v4('10.0.0.0'), 8, 'a private address'],
  [v4('100.64.0.0'), 10, 'a shared (carrier-grade NAT) address'],
  [v4('127.0.0.0'), 8, 'a loopback address'],
  [v4('169.254.169.254'), 32, 'the cloud metadata address'],
  [v4('169.254.0.0'), 16, 'a link-local address'],
  [v4('172.16.0.0'), 12, 'a private address'],
  [v4('192.0.0.0'), 24, 'an IETF protocol address'],
  [v4('192.168.0.0'), 16, 'a private address'],
  [v4('198.18.0.0'), 15, 'a benchmarking address'],
  [v4('224.0.0.0'), 4, 'a multicast address'],
  [v4('240.0.0.0'), 4, 'a reserved address'],
]

const V6_BLOCKED: Cidr[] = [
  [v6('::'), 128, 'an unspecified address'],
  [v6('::1'), 128, 'a loopback address'],
  [v6('fd00:ec2::254'), 128, 'the cloud metadata address'],
  [v6('fc00::'), 7, 'a unique local (private) address'],
  [v6('fe80::'), 10, 'a link-local address'],
  [v6('fec0::'), 10, 'a site-local address'],
  [v6('ff00::'), 8, 'a multicast address'],
]

/** IPv6 forms that carry an IPv4 address in their low 32 bits: that address is judged. */
const V6_EMBEDDING_V4: Cidr[] = [
  [v6('::ffff:0:0'), 96, 'IPv4-mapped'],
  [v6('::'), 96, 'IPv4-compatible'],
  [v6('64:ff9b::'), 96, 'NAT64'],
]

/** `localhost` and every name under it are loopback by definition (RFC 6761), trailing dots or not. */
const LOOPBACK_NAME = /^(?:.+\.)?localhost\.*$/

const within = (address: bigint, width: number, [network, bits]: Cidr) => address >> BigInt(width - bits) === network >> BigInt(width - bits)

/** Why an address may not receive webhooks ("a loopback address"), or null when it may. */
export function blockedAddress(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').split('%')[0] as string
  if (net.isIPv4(bare)) {
    const n = v4(bare)
    return V4_BLOCKED.find((cidr) => within(n, 32, cidr))?.[2] ?? null
  }
  if (!net.isIPv6(bare)) return 'not an IP address'
  const n = v6(bare)
  const blocked = V6_BLOCKED.find((cidr) => within(n, 128, cidr))
  if (blocked) return blocked[2]
  if (V6_EMBEDDING_V4.some((cidr) => within(n, 128, cidr))) {
    const embedded = [24n, 16n, 8n, 0n].map((shift) => Number((n >> shift) & 0xffn)).join('.')
    const reason = blockedAddress(embedded)
    return reason && `${reason} (${embedded} in IPv6 form)`
  }
  return null
}

/**
 * Checks a webhook URL against the rule; answers the URL and the addresses checked, or throws
 * WebhookUrlError (400 `invalid_webhook_url`) with the reason.
 */
export async function checkWebhookUrl(raw: string, options: WebhookUrlCheck): Promise<CheckedWebhookUrl> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new WebhookUrlError('The webhook URL is not a valid URL.')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookUrlError('The webhook URL must be an https:// (or, for test mode, http://) URL.')
  if (options.mode === 'live' && url.protocol !== 'https:') throw new WebhookUrlError('Live-mode events are delivered only to https:// webhook URLs.')
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (options.purpose === 'set' && options.allowPrivate) return { url, addresses: [] }
  let addresses: ResolvedAddress[]
  if (net.isIP(host)) {
    addresses = [{ address: host, family: net.isIPv6(host) ? 6 : 4 }]
  } else {
    if (!options.allowPrivate && LOOPBACK_NAME.test(host)) {
      throw new WebhookUrlError(`The webhook URL's host ${host} is a loopback name; webhooks go to public addresses only (TESSERA_ALLOW_PRIVATE_WEBHOOKS=1 allows others, for local development).`)
    }
    try {
      addresses = await options.resolve(host)
    } catch {
      addresses = []
    }
    if (addresses.length === 0) {
      if (options.purpose === 'deliver') throw new WebhookUrlError(`The webhook URL's host ${host} does not resolve.`)
      return { url, addresses }
    }
  }
  if (options.allowPrivate) return { url, addresses }
  for (const { address } of addresses) {
    const reason = blockedAddress(address)
    if (reason) {
      throw new WebhookUrlError(
        `The webhook URL's host ${net.isIP(host) ? 'is' : `${host} resolves to`} ${reason} (${address}); webhooks go to public addresses only (TESSERA_ALLOW_PRIVATE_WEBHOOKS=1 allows others, for local development).`,
      )
    }
  }
  return { url, addresses }
}
