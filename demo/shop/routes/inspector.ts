// Token inspector: what the vault returns for a token (or a payment) to the shop's secret key,
// next to the orders the shop has charged.
import { Hono } from 'hono'
import type { ShopDeps, ShopEnv, ShopSession } from '../env.js'
import type { Order } from '../records.js'
import { VaultError, type PaymentObject, type TokenObject } from '../vault-client.js'
import { badge, brandName, cardLabel, dateTime, expiry, html, money, timeOnly, tokenStatusBadge, type Html } from '../views/html.js'
import { render } from './support.js'

const ID_SHAPE = /^[A-Za-z0-9_.:-]{1,128}$/

type Inspection = { kind: 'token'; token: TokenObject } | { kind: 'payment'; payment: PaymentObject } | { kind: 'error'; message: string }

async function inspect(deps: ShopDeps, session: ShopSession, id: string): Promise<Inspection> {
  if (!session.project) return { kind: 'error', message: 'The demo projects are not set up yet.' }
  if (!ID_SHAPE.test(id)) return { kind: 'error', message: 'That is not a token or payment id.' }
  const sk = session.project.test.secret_key
  try {
    if (/^pay_[0-9a-f]{24}$/.test(id)) return { kind: 'payment', payment: await deps.vault.payment(sk, id) }
    return { kind: 'token', token: await deps.vault.token(sk, id) }
  } catch (error) {
    if (!(error instanceof VaultError)) throw error
    const hint = error.status === 404 ? ` Tokens belong to one project: this page asks the current project (${session.project.label}).` : ''
    return { kind: 'error', message: `The vault answered ${error.status} ${error.code}: ${error.message}${hint}` }
  }
}

function facts(rows: [string, Html | string][]): Html {
  return html`<dl class="facts">${rows.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`
}

function tokenSummary(t: TokenObject): Html {
  return facts([
    ['Status', tokenStatusBadge(t.status)],
    ['Card', t.deleted ? 'destroyed (tombstone)' : html`${brandName(t.card.brand)} <span class="mono">${t.card.bin ?? ''}•••${t.card.last4}</span>, expires ${expiry(t.card)}`],
    ['Customer', t.customer_id ?? 'none (not saved)'],
    ['Verification', t.verification ? `${t.verification.strategy}: ${t.verification.result}` : '—'],
    ['Created', dateTime(t.created_at)],
    ['Last used', dateTime(t.last_used_at)],
    // As the card shows it; the token turns expired when that month ends.
    ['Card expires', t.deleted ? '—' : `end of ${expiry(t.card)}`],
    ['Kept until', dateTime(t.retain_until)],
  ])
}

function paymentSummary(p: PaymentObject): Html {
  return facts([
    ['Status', badge(p.status, p.status === 'declined' ? 'bad' : 'good')],
    ['Amount', money(p.amount, p.currency)],
    ['Captured', money(p.amount_captured, p.currency)],
    ['Initiator', p.initiator],
    ['Decline', p.decline_code ?? '—'],
    ['Token', p.token ? html`<a class="mono" href="/tokens?id=${encodeURIComponent(p.token)}">${p.token}</a>` : '—'],
    ['Created', dateTime(p.created_at)],
  ])
}

function result(id: string, found: Inspection): Html {
  if (found.kind === 'error') return html`<p class="notice notice-error" role="alert">${found.message}</p>`
  const object = found.kind === 'token' ? found.token : found.payment
  return html`<section class="panel" aria-labelledby="result-heading">
    <h2 id="result-heading">${found.kind === 'token' ? 'Token' : 'Payment'} <span class="mono break">${id}</span></h2>
    ${found.kind === 'token' ? tokenSummary(found.token) : paymentSummary(found.payment)}
    <h3>What the vault returned</h3>
    <pre class="json" tabindex="0" aria-label="JSON answer">${JSON.stringify(object, null, 2)}</pre>
  </section>`
}

function ordersTable(orders: readonly Order[]): Html {
  if (orders.length === 0) return html`<p class="muted">No orders yet in this project.</p>`
  return html`<div class="table-wrap"><table class="table">
    <caption class="visually-hidden">Recent orders</caption>
    <thead><tr><th scope="col">When</th><th scope="col">Customer</th><th scope="col">Card</th><th scope="col">Amount</th><th scope="col">Outcome</th><th scope="col">Payment</th><th scope="col">Token</th></tr></thead>
    <tbody>${orders.map(
      (o) => html`<tr>
      <td><time datetime="${o.at}">${timeOnly(o.at)}</time></td><td>${o.customerId}</td><td class="nowrap">${cardLabel(o.card)}</td><td>${money(o.amount, o.currency)}</td>
      <td>${badge(o.declineCode ? `declined: ${o.declineCode}` : o.status, o.status === 'captured' || o.status === 'authorized' ? 'good' : 'bad')}${o.saved ? html` ${badge('saved')}` : ''}</td>
      <td>${o.paymentId ? html`<a class="mono" href="/tokens?id=${o.paymentId}">${o.paymentId.slice(0, 12)}…</a>` : '—'}</td>
      <td><a class="mono" href="/tokens?id=${encodeURIComponent(o.token)}">${o.token.slice(0, 12)}…</a></td>
    </tr>`,
    )}</tbody></table></div>`
}

export function inspectorRoutes(deps: ShopDeps): Hono<ShopEnv> {
  const app = new Hono<ShopEnv>()
  app.get('/tokens', async (c) => {
    const session = c.get('session')
    const id = (c.req.query('id') ?? '').trim()
    const found = id ? await inspect(deps, session, id) : null
    const orders = deps.records.orders().filter((o) => o.projectName === session.project?.name)
    const body = html`<h1>Token inspector</h1>
    <p class="lede">Everything the vault tells the shop about a token: the masked card, status, verification and dates. Never the number. Payment ids work too.</p>
    <form class="inline-form" method="get" action="/tokens">
      <label for="inspect-id">Token or payment id</label>
      <input id="inspect-id" name="id" value="${id}" autocomplete="off" spellcheck="false" class="mono">
      <button type="submit" class="button button-primary">Inspect</button>
    </form>
    ${found ? result(id, found) : ''}
    <section aria-labelledby="orders-heading"><h2 id="orders-heading">Recent orders</h2>${ordersTable(orders)}</section>`
    return render(c, deps, { title: 'Token inspector', active: '/tokens', body })
  })
  return app
}
