// Signing in as one of the demo customers (a stand-in for the shop's own login).
import { Hono } from 'hono'
import { customerById } from '../catalog.js'
import type { ShopDeps, ShopEnv } from '../env.js'
import { signInAs } from '../session.js'
import { NAV } from '../views/layout.js'

const RETURN_PATHS = new Set<string>(NAV.map((n) => n.path))

export function sessionRoutes(_deps: ShopDeps): Hono<ShopEnv> {
  const app = new Hono<ShopEnv>()
  app.post('/session/customer', async (c) => {
    const form = await c.req.parseBody()
    const customer = customerById(typeof form.customer === 'string' ? form.customer : undefined)
    if (customer) signInAs(c, customer)
    // Back to a page of this shop only: never an open redirect.
    const back = typeof form.return === 'string' && RETURN_PATHS.has(form.return) ? form.return : '/checkout'
    return c.redirect(back, 303)
  })
  return app
}
