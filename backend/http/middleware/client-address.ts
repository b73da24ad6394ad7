// The client's address for per-address limits. Behind N trusted proxies it is the entry N from
// the right of X-Forwarded-For (the one the outermost trusted proxy wrote), never the leftmost,
// which the client writes itself. An IPv6 client counts by its /64: one host holds a whole /64.
import net from 'node:net'
import type { Context } from 'hono'
import { getConnInfo } from '@hono/node-server/conninfo'

/**
 * The address `hops` proxies in front of the vault saw the request come from. With `hops` 0 the
 * connection's own address; with more, X-Forwarded-For read from the right. A list shorter than
 * `hops` was written by trusted proxies alone, so its first entry is the address the outermost
 * one saw.
 */
export function clientAddress(c: Context, hops: number): string {
  if (hops > 0) {
    const entries = (c.req.header('x-forwarded-for') ?? '').split(',').map((e) => e.trim()).filter(Boolean)
    const seen = entries[Math.max(0, entries.length - hops)]
    if (seen) return addressBucket(seen)
  }
  try {
    return addressBucket(getConnInfo(c).remote.address ?? 'unknown')
  } catch {
    return 'unknown'
  }
}

/** The name a per-address limit counts under: an IPv4 address, an IPv6 /64, or the raw text (cut short) of anything else. */
export function addressBucket(raw: string): string {
  const address = stripPort(raw)
  if (net.isIPv4(address)) return address
  const bare = address.split('%')[0] as string
  if (net.isIPv6(bare)) {
    const groups = ipv6Groups(bare)
    // An IPv4 address written in IPv6 form (::ffff:a.b.c.d) is that IPv4 address.
    if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return groups.slice(6).flatMap((g) => [g >> 8, g & 0xff]).join('.')
    return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`
  }
  return `other:${raw.slice(0, 64)}`
}

function stripPort(raw: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(raw)
  if (bracketed) return bracketed[1] as string
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(raw)
  return v4WithPort ? (v4WithPort[1] as string) : raw
}

/** The eight 16-bit groups of a valid IPv6 address (an embedded IPv4 tail included). */
export function ipv6Groups(address: string): number[] {
  const parse = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)]
          const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number]
          return [(a << 8) | b, (c << 8) | d]
        })
  const [head = '', tail] = address.split('::')
  const left = parse(head)
  const right = tail === undefined ? [] : parse(tail)
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right]
}
