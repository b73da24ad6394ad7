// Webhooks: the receiver the demo projects point at (authenticated by the vault's signature,
// not by CSRF), and the page listing what arrived, each marked verified or not.
import { Hono } from 'hono'
import { SIGNATURE_HEADER } from '../../../packages/node/index.js'
import type { ShopDeps, ShopEnv, ShopSession } from '../env.js'
import type { ReceivedWebhook } from '../webhook-inbox.js'
import { badge, brandName, csrfField, html, money, timeOnly, type Html } from '../views/html.js'
import { render } from './support.js'

export const WEBHOOK_PATH = '/webhooks/tessera'

/** Webhook bodies are small (one event); anything bigger is not from the vault. */
const MAX_WEBHOOK_BYTES = 64 * 1024

function summary(entry: ReceivedWebhook): Html | string {
  const o = entry.dataObject as Record<string, any> | null
  if (!o) return entry.verified ? '' : 'ignored: not from the vault'
  if (o.object === 'token') {
    if (o.deleted) return html`token <span class="mono">${String(o.token).slice(0, 10)}…</span> deleted`
    return html`${brandName(String(o.card?.brand))} •••• ${o.card?.last4} · ${o.status}${o.customer_id ? ` · ${o.customer_id}` : ''}`
  }
  if (o.object === 'payment' || o.object === 'payout') return html`${money(Number(o.amount), String(o.currency))} · ${o.status}${o.decline_code ? ` (${o.decline_code})` : ''} · <span class="mono">${o.id}</span>`
  return String(o.object)
}

function verdict(entry: ReceivedWebhook): Html {
  if (!entry.verified) return badge(`not verified: ${entry.reason?.replaceAll('_', ' ')}`, 'bad')
  return entry.duplicate ? html`${badge('verified', 'good')} ${badge('duplicate')}` : badge('verified', 'good')
}

function webhooksBody(session: ShopSession, entries: readonly ReceivedWebhook[]): Html {
  const webhookUrl = session.project?.webhook_url ?? WEBHOOK_PATH
  return html`<h1>Webhooks</h1>
  <p class="lede">Events the vault sent to this shop at <code>${webhookUrl}</code>. Each is checked with <code>verifyWebhook()</code> (ES256 detached JWS against the vault's <code>/v1/webhook-keys</code>, for this project, at most 5 minutes old) before the shop believes it.</p>
  <div class="toolbar">
    <a class="button" href="/webhooks">Refresh</a>
    <form method="post" action="/webhooks/forged">${csrfField(session)}<button type="submit" class="button button-ghost">Receive a forged event</button></form>
  </div>
  ${
    entries.length === 0
      ? html`<p class="notice">Nothing received yet. Pay at <a href="/checkout">Checkout</a> and come back: token and payment events arrive within a second.</p>`
      : html`<div class="table-wrap"><table class="table" id="webhook-events">
    <caption class="visually-hidden">Received webhook events, newest first</caption>
    <thead><tr><th scope="col">Received</th><th scope="col">Event</th><th scope="col">About</th><th scope="col">Project</th><th scope="col">Signature</th></tr></thead>
    <tbody>${entries.map(
      (e) => html`<tr class="${e.verified ? 'verified' : 'unverified'}">
      <td><time datetime="${e.receivedAt}">${timeOnly(e.receivedAt)}</time></td>
      <td><span class="event-type">${e.type ?? 'unknown'}</span><br><span class="mono muted small">${e.eventId ?? ''}</span></td>
      <td>${summary(e)}</td>
      <td>${e.projectLabel ?? '—'}</td>
      <td>${verdict(e)}</td>
    </tr>`,
    )}</tbody></table></div>`
  }`
}

export function webhookRoutes(deps: ShopDeps): Hono<ShopEnv> {
  const app = new Hono<ShopEnv>()

  app.post(WEBHOOK_PATH, async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer())
    if (raw.byteLength > MAX_WEBHOOK_BYTES) return c.body(null, 413)
    const entry = await deps.inbox.receive(raw, c.req.header(SIGNATURE_HEADER))
    // 2xx only for a verified event (a duplicate too: the vault must stop sending it).
    return c.json({ received: entry.verified }, entry.verified ? 200 : 400)
  })

  app.post('/webhooks/forged', async (c) => {
    await deps.inbox.receiveForgery(c.get('session').project?.project_id)
    return c.redirect('/webhooks', 303)
  })

  app.get('/webhooks', (c) => render(c, deps, { title: 'Webhooks', active: '/webhooks', body: webhooksBody(c.get('session'), deps.inbox.list()) }))

  return app
}
