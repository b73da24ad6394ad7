// A browser's demo session in cookies: an id (to which the CSRF token is bound), the demo
// customer it is signed in as and the demo project it shops in. Nothing secret is kept in a
// cookie: the customer and project are only names the server checks against its own lists.
import crypto from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { CUSTOMERS, customerById, type DemoCustomer } from './catalog.js'
import type { ShopEnv } from './env.js'
import type { ProjectDirectory } from './project-keys.js'

export const COOKIES = { sid: 'shop_sid', customer: 'shop_customer', project: 'shop_project' } as const

const SID_SHAPE = /^[A-Za-z0-9_-]{22}$/

export interface SessionOptions {
  /** Keys the CSRF tokens; a new secret (a restart) makes old pages' tokens stale. */
  secret: Uint8Array
  projects: ProjectDirectory
}

export const csrfTokenFor = (secret: Uint8Array, sid: string): string => crypto.createHmac('sha256', secret).update(`csrf|${sid}`).digest('base64url')

function remember(c: Context, name: string, value: string): void {
  setCookie(c, name, value, { httpOnly: true, sameSite: 'Lax', path: '/', secure: new URL(c.req.url).protocol === 'https:', maxAge: 60 * 60 * 24 * 30 })
}

export function sessions(options: SessionOptions): MiddlewareHandler<ShopEnv> {
  return async (c, next) => {
    let sid = getCookie(c, COOKIES.sid)
    if (!sid || !SID_SHAPE.test(sid)) {
      sid = crypto.randomBytes(16).toString('base64url')
      remember(c, COOKIES.sid, sid)
    }
    const customer = customerById(getCookie(c, COOKIES.customer)) ?? (CUSTOMERS[0] as DemoCustomer)
    const project = options.projects.byName(getCookie(c, COOKIES.project)) ?? options.projects.all()[0]
    c.set('session', { sid, csrfToken: csrfTokenFor(options.secret, sid), customer, project })
    await next()
  }
}

export function signInAs(c: Context, customer: DemoCustomer): void {
  remember(c, COOKIES.customer, customer.id)
}

export function useProject(c: Context, name: string): void {
  remember(c, COOKIES.project, name)
}
