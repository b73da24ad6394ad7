// Security headers on every response. Hono's secureHeaders sets the fixed ones (no sniffing, no
// referrer, same-origin openers...) without overwriting what a route chose (the
// loader's cross-origin CORP, a page's own CSP); what depends on the answer stays here: no
// framing unless a route set its own frame-ancestors, no caching of API answers unless a route
// said otherwise, HSTS only when the client came over TLS.
import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import type { AppEnv } from '../env.js'

export interface SecurityHeaderOptions {
  /** Trust `X-Forwarded-Proto` to tell that the client connected over TLS. */
  trustProxy?: boolean
}

export const HSTS = 'max-age=63072000; includeSubDomains'
export const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'"

const fixedHeaders = secureHeaders({
  overwrite: false,
  // Decided per answer below.
  xFrameOptions: false,
  // The frame page and the hosted payment page are embedded or opened by other origins; routes
  // that need a CORP set their own (the loader: cross-origin, frame assets: same-origin).
  crossOriginResourcePolicy: false,
  strictTransportSecurity: false,
})

export function securityHeaders(options: SecurityHeaderOptions = {}): MiddlewareHandler<AppEnv> {
  // One middleware in the chain: Hono's runs around the conditional part.
  return (c, next) =>
    fixedHeaders(c, async () => {
      await next()
      const h = c.res.headers
      if (!h.get('Content-Security-Policy')?.includes('frame-ancestors')) {
        h.set('X-Frame-Options', 'DENY')
        if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', DEFAULT_CSP)
      }
      if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store')
      const https = new URL(c.req.url).protocol === 'https:' || (options.trustProxy && c.req.header('x-forwarded-proto') === 'https')
      if (https) h.set('Strict-Transport-Security', HSTS)
    }) as Promise<void>
}
