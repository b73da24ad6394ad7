// Checkout (a new card, optionally saved) and One-click (a saved card through a customer
// session): the pages, and the JSON endpoints their script calls with the token. The browser
// never names the customer: both pages get a customer session made here with the secret key,
// and the vault saves a card for the customer that session binds.
import { Hono } from 'hono'
import * as v from 'valibot'
import { charge, forgetUnpaid } from '../charge.js'
import type { ShopDeps, ShopEnv } from '../env.js'
import { checkoutBody, oneClickBody } from '../views/checkout.js'
import { html } from '../views/html.js'
import { apiError, attemptId, cardFieldLoader, jsonBody, render, statusOf, tokenValue, type ShopContext } from './support.js'

const payBody = v.strictObject({ token: tokenValue, save: v.optional(v.boolean(), false), attempt: attemptId })

// The layout says why (no demo projects yet); the page itself has nothing to show.
const noProjects = html`<h1>Not ready yet</h1>`

export function checkoutRoutes(deps: ShopDeps): Hono<ShopEnv> {
  const app = new Hono<ShopEnv>()

  app.get('/checkout', async (c) => {
    const { project, customer } = c.get('session')
    const loader = await cardFieldLoader(deps)
    if (!project) return render(c, deps, { title: 'Checkout', active: '/checkout', body: noProjects }, 503)
    // Used only when the shopper ticks "Save this card": the page sets it on the field then.
    const saveSession = loader ? (await deps.vault.customerSession(project.test.secret_key, customer.id)).client_secret : undefined
    const body = checkoutBody({ flow: 'checkout', customer, publishableKey: project.test.publishable_key, saveSession, vaultDown: loader === null })
    return render(c, deps, { title: 'Checkout', active: '/checkout', body, loader: loader ?? undefined, script: 'pay.js' })
  })

  app.get('/one-click', async (c) => {
    const session = c.get('session')
    const { project, customer } = session
    if (!project) return render(c, deps, { title: 'One-click', active: '/one-click', body: noProjects }, 503)
    const loader = await cardFieldLoader(deps)
    let secret: string | undefined
    let savedCount = 0
    if (loader) {
      const sk = project.test.secret_key
      await forgetUnpaid(deps, sk, customer.id)
      const [created, cards] = await Promise.all([deps.vault.customerSession(sk, customer.id), deps.vault.customerTokens(sk, customer.id)])
      secret = created.client_secret
      // As the card field lists them: one per card (fingerprint), however many tokens it has.
      savedCount = new Set(cards.data.filter((t) => t.status === 'active').map((t) => t.fingerprint ?? t.token)).size
    }
    const body = oneClickBody(session, savedCount, { flow: 'one-click', customer, publishableKey: project.test.publishable_key, customerSession: secret, vaultDown: loader === null })
    return render(c, deps, { title: 'One-click checkout', active: '/one-click', body, loader: loader ?? undefined, script: 'pay.js' })
  })

  const pay = (flow: 'checkout' | 'one-click') => async (c: ShopContext) => {
    const session = c.get('session')
    if (!session.project) return apiError(c, 503, 'demo_not_ready', 'The demo projects are not set up yet.')
    const body = await jsonBody(c, payBody)
    if (!body) return apiError(c, 400, 'invalid_request', 'Send {token, attempt, save?}.')
    const result = await charge(deps, { project: session.project, customer: session.customer, token: body.token, flow, save: body.save, sid: session.sid, attempt: body.attempt })
    if (result.outcome === 'refused') return apiError(c, statusOf(result.status), result.code, result.message)
    // A decline is an answer, not a failure of this request: the page shows it.
    return c.json(result)
  }
  app.post('/api/checkout', pay('checkout'))
  app.post('/api/one-click', pay('one-click'))

  return app
}
