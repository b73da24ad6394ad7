// Security headers on every response. The fixed ones (no sniffing, no referrer, same-origin
// openers...) are set unless a route chose its own (the loader's cross-origin CORP, a page's own
// CSP); what depends on the answer: no framing unless a route set its own frame-ancestors, no
// caching of API answers unless a route said otherwise, HSTS only when the client came over TLS.
// They were Hono's secureHeaders with these options; written out here so an answer the vault
// makes itself (answer.ts) can carry the whole set from the start, in one plain object.
import type { Context } from 'hono'
import { requestHeader } from '../request-header.js'

export const HSTS = 'max-age=63072000; includeSubDomains'
export const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'"

/** Set on every answer that has none of its own. */
const FIXED: readonly (readonly [string, string])[] = [
  ['cross-origin-opener-policy', 'same-origin'],
  ['origin-agent-cluster', '?1'],
  ['referrer-policy', 'no-referrer'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  ['x-download-options', 'noopen'],
  ['x-permitted-cross-domain-policies', 'none'],
  ['x-xss-protection', '0'],
]

/** Whether the client connected over TLS: the URL says so, or (behind trusted proxies) X-Forwarded-Proto. */
export function cameOverTls(c: Context, trustProxy: boolean): boolean {
  return c.req.url.startsWith('https:') || (trustProxy && requestHeader(c, 'x-forwarded-proto') === 'https')
}

/**
 * Completes the headers of any answer, whatever made it. `originKeyed` false leaves
 * Origin-Agent-Cluster to the browser's default (the card frame for a cross-site page: widget.ts).
 */
export function secureAnswer(h: Headers, https: boolean, originKeyed = true): void {
  for (const [name, value] of FIXED) if (!h.has(name) && (originKeyed || name !== 'origin-agent-cluster')) h.set(name, value)
  h.delete('x-powered-by')
  const csp = h.get('content-security-policy')
  if (!csp?.includes('frame-ancestors')) {
    h.set('x-frame-options', 'DENY')
    if (csp === null) h.set('content-security-policy', DEFAULT_CSP)
  }
  if (!h.has('cache-control')) h.set('cache-control', 'no-store')
  if (https) h.set('strict-transport-security', HSTS)
}

const api = (https: boolean): Readonly<Record<string, string>> =>
  Object.freeze({
    ...Object.fromEntries(FIXED),
    'x-frame-options': 'DENY',
    'content-security-policy': DEFAULT_CSP,
    'cache-control': 'no-store',
    ...(https ? { 'strict-transport-security': HSTS } : {}),
  })

/** Exactly what secureAnswer gives an answer that set no header of its own. */
export const API_HEADERS = { http: api(false), https: api(true) } as const
