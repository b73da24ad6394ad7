// The hosted checkout: the shop's server creates a payment page with its secret key (the amount
// priced here, never by the browser), redirects the shopper to it, and on return reads the
// page's status from the vault before it books the order. The redirect alone proves nothing.
import crypto from 'node:crypto'
import { Hono } from 'hono'
import { cartTotal, CURRENCY } from '../catalog.js'
import type { ShopDeps, ShopEnv } from '../env.js'
import { html } from '../views/html.js'
import { hostedBody, hostedReturnBody } from '../views/hosted.js'
import { VaultError } from '../vault-client.js'
import { render } from './support.js'

const LOCALES = new Set(['en', 'ro'])

export function hostedRoutes(deps: ShopDeps): Hono<ShopEnv> {
  const app = new Hono<ShopEnv>()

  app.get('/hosted', (c) => {
    const session = c.get('session')
    if (!session.project) return render(c, deps, { title: 'Hosted page', active: '/hosted', body: html`<h1>Not ready yet</h1>` }, 503)
    return render(c, deps, { title: 'Hosted payment page', active: '/hosted', body: hostedBody(session, session.customer) })
  })

  app.post('/hosted/start', async (c) => {
    const session = c.get('session')
    if (!session.project) return c.text('The demo projects are not set up yet.', 503)
    const form = await c.req.parseBody()
    const origin = new URL(c.req.url).origin
    const locale = typeof form.locale === 'string' && LOCALES.has(form.locale) ? form.locale : 'en'
    const request = {
      mode: 'purchase' as const,
      amount: cartTotal().total,
      currency: CURRENCY,
      customer_id: session.customer.id,
      save_card: form.save === 'on',
      locale,
      return_url: `${origin}/hosted/return`,
      cancel_url: `${origin}/hosted`,
    }
    const page = await deps.vault.createPaymentPage(session.project.test.secret_key, request, `shop:${session.sid}:page:${crypto.randomUUID()}`)
    deps.records.addHostedPage(page.id, { sid: session.sid, projectName: session.project.name, customerId: session.customer.id })
    return c.redirect(page.url, 303)
  })

  app.get('/hosted/return', async (c) => {
    const session = c.get('session')
    const id = c.req.query('payment_page') ?? ''
    const record = deps.records.hostedPage(id)
    // Only a page this browser was sent to: another shopper's page id shows nothing.
    if (!session.project || !record || record.sid !== session.sid) return render(c, deps, { title: 'Your order', active: '/hosted', body: html`<h1>No such order</h1><p><a href="/hosted">Back to the hosted checkout</a></p>` }, 404)
    let page
    try {
      page = await deps.vault.paymentPage(session.project.test.secret_key, id)
    } catch (error) {
      if (error instanceof VaultError && error.status === 404) return render(c, deps, { title: 'Your order', active: '/hosted', body: html`<h1>No such order</h1>` }, 404)
      throw error
    }
    if (!record.booked && (page.status === 'completed' || page.status === 'failed') && page.payment) {
      record.booked = true
      // The masked card is known when the page saved it; a card paid once and not kept stays unknown here.
      const card = page.token ? (await deps.vault.token(session.project.test.secret_key, page.token)).card : { brand: 'card', last4: '····', exp_month: 0, exp_year: 0 }
      deps.records.addOrder({
        at: new Date().toISOString(),
        projectName: record.projectName,
        customerId: record.customerId,
        paymentId: page.payment.id,
        status: page.payment.status,
        amount: page.payment.amount,
        currency: page.payment.currency,
        card,
        token: page.token ?? page.payment.token ?? '',
        saved: page.token !== undefined,
        declineCode: page.payment.decline_code ?? null,
      })
    }
    return render(c, deps, { title: 'Your order', active: '/hosted', body: hostedReturnBody(page) })
  })

  return app
}
