// Security headers on every response: no sniffing, no referrer, no framing except where a
// route set its own frame-ancestors, no caching of API answers, HSTS behind TLS.
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env.js'

export interface SecurityHeaderOptions {
  /** Trust `X-Forwarded-Proto` to tell that the client connected over TLS. */
  trustProxy?: boolean
}

export const HSTS = 'max-age=63072000; includeSubDomains'

export function securityHeaders(options: SecurityHeaderOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next()
    const h = c.res.headers
    h.set('X-Content-Type-Options', 'nosniff')
    h.set('Referrer-Policy', 'no-referrer')
    if (!h.get('Content-Security-Policy')?.includes('frame-ancestors')) {
      h.set('X-Frame-Options', 'DENY')
      if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'")
    }
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store')
    const https = new URL(c.req.url).protocol === 'https:' || (options.trustProxy && c.req.header('x-forwarded-proto') === 'https')
    if (https) h.set('Strict-Transport-Security', HSTS)
  }
}
