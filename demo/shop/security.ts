// The shop's own defences, as a real merchant's checkout needs them: a strict CSP that lets in
// only the vault's loader and frame, no framing, no sniffing, and CSRF checks on every form
// and JSON POST (same origin, and a token bound to the session).
import crypto from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import type { ShopEnv } from './env.js'

/**
 * The CSP of every shop page: scripts from the shop and the vault's loader, frames from the vault
 * only; forms post to the shop, whose hosted checkout then redirects to the vault's payment page.
 */
export function shopCsp(vaultOrigin: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' ${vaultOrigin}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `frame-src ${vaultOrigin}`,
    `form-action 'self' ${vaultOrigin}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

export function securityHeaders(options: { vaultOrigin: string }): MiddlewareHandler<ShopEnv> {
  const csp = shopCsp(options.vaultOrigin)
  return async (c, next) => {
    await next()
    const h = c.res.headers
    h.set('Content-Security-Policy', csp)
    h.set('X-Content-Type-Options', 'nosniff')
    h.set('X-Frame-Options', 'DENY')
    // The frame URL carries the page's origin itself; the vault needs no Referer.
    h.set('Referrer-Policy', 'same-origin')
    h.set('Cross-Origin-Opener-Policy', 'same-origin')
    h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()')
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store')
  }
}

export const CSRF_HEADER = 'X-CSRF-Token'
export const CSRF_FIELD = '_csrf'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}

// Hono's CSRF middleware: a form POST (urlencoded, multipart, text/plain) must come from this
// origin (`Sec-Fetch-Site: same-origin`, else `Origin`). JSON POSTs from another site cannot
// get past the browser's CORS preflight, which the shop never answers.
const sameOrigin = csrf()

function refuse(c: Context<ShopEnv>): Response {
  const refusal = { error: { type: 'permission_error', code: 'csrf_refused', message: 'This request did not come from a page of this shop. Reload the page and try again.' } }
  return c.req.path.startsWith('/api/') ? c.json(refusal, 403) : c.text(refusal.error.message, 403)
}

/**
 * Refuses a state-changing request unless Hono's csrf() finds it same-origin and it carries the
 * session's CSRF token in the X-CSRF-Token header or the `_csrf` form field (a second defence,
 * for browsers that send neither header). `exempt` paths authenticate otherwise (the webhook
 * receiver checks the vault's signature).
 */
export function csrfProtection(options: { exempt: readonly string[] }): MiddlewareHandler<ShopEnv> {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || options.exempt.includes(c.req.path)) return next()
    try {
      await sameOrigin(c, async () => {})
    } catch (error) {
      if (error instanceof HTTPException && error.status === 403) return refuse(c)
      throw error
    }
    let token = c.req.header(CSRF_HEADER)
    if (token === undefined && (c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
      const field = (await c.req.parseBody())[CSRF_FIELD]
      token = typeof field === 'string' ? field : undefined
    }
    if (token === undefined || !sameToken(token, c.get('session').csrfToken)) return refuse(c)
    return next()
  }
}
