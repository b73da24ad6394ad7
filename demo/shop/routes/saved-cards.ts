// Saved cards: the signed-in customer's tokens as the vault lists them, and revoke / delete
// through the shop's server (plain forms with a CSRF token; the secret key stays here).
import { Hono } from 'hono'
import type { ShopDeps, ShopEnv } from '../env.js'
import { VaultError, type TokenObject } from '../vault-client.js'
import { brandName, csrfField, dateTime, expiry, html, tokenStatusBadge, type Html } from '../views/html.js'
import type { ShopSession } from '../env.js'
import { render } from './support.js'

const NOTICES: Record<string, string> = {
  revoked: 'The card was revoked: it can no longer pay, and it is gone from one-click checkout.',
  deleted: 'The card was deleted: the vault destroyed the stored card number.',
  missing: 'That card is not one of this customer’s cards.',
}

function cardRow(session: ShopSession, token: TokenObject): Html {
  const action = (verb: 'revoke' | 'delete', label: string, tone: string) =>
    html`<form method="post" action="/saved-cards/${encodeURIComponent(token.token)}/${verb}">${csrfField(session)}<button type="submit" class="button button-small ${tone}" aria-label="${label} ${brandName(token.card.brand)} ending in ${token.card.last4}">${label}</button></form>`
  return html`<tr>
    <td><span class="card-brand">${brandName(token.card.brand)}</span> <span class="mono">•••• ${token.card.last4}</span></td>
    <td>${expiry(token.card)}</td>
    <td>${tokenStatusBadge(token.status)}</td>
    <td>${dateTime(token.last_used_at)}</td>
    <td><a class="mono token-link" href="/tokens?id=${encodeURIComponent(token.token)}">${token.token.slice(0, 12)}…</a></td>
    <td><div class="actions">${token.status === 'active' ? action('revoke', 'Revoke', 'button-ghost') : ''}${action('delete', 'Delete', 'button-danger')}</div></td>
  </tr>`
}

function savedCardsBody(session: ShopSession, tokens: TokenObject[], notice: string | undefined): Html {
  return html`<h1>Saved cards</h1>
  <p class="lede">${session.customer.name}’s cards in this project, listed by the shop’s server with its secret key (<code>GET /v1/customers/${session.customer.id}/tokens</code>).</p>
  ${notice ? html`<p class="notice notice-success" role="status">${notice}</p>` : ''}
  ${
    tokens.length === 0
      ? html`<p class="notice">No saved cards. Tick “Save this card” at <a href="/checkout">Checkout</a> to add one.</p>`
      : html`<div class="table-wrap"><table class="table">
    <caption class="visually-hidden">Saved cards of ${session.customer.name}</caption>
    <thead><tr><th scope="col">Card</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col">Last used</th><th scope="col">Token</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
    <tbody>${tokens.map((t) => cardRow(session, t))}</tbody>
  </table></div>`
  }
  <p class="muted"><strong>Revoke</strong> keeps the record, but the token can never pay again. <strong>Delete</strong> destroys the stored card; only a tombstone without card data remains.</p>`
}

export function savedCardRoutes(deps: ShopDeps): Hono<ShopEnv> {
  const app = new Hono<ShopEnv>()

  app.get('/saved-cards', async (c) => {
    const session = c.get('session')
    const tokens = session.project ? (await deps.vault.customerTokens(session.project.test.secret_key, session.customer.id)).data : []
    return render(c, deps, { title: 'Saved cards', active: '/saved-cards', body: savedCardsBody(session, tokens, NOTICES[c.req.query('done') ?? '']) })
  })

  for (const verb of ['revoke', 'delete'] as const) {
    app.post(`/saved-cards/:token/${verb}`, async (c) => {
      const { project, customer } = c.get('session')
      if (!project) return c.redirect('/saved-cards', 303)
      const sk = project.test.secret_key
      const value = c.req.param('token')
      // Only the signed-in customer's own cards: the token in the URL is the browser's word.
      const token = await deps.vault.token(sk, value).catch((error) => {
        if (error instanceof VaultError && error.status === 404) return null
        throw error
      })
      if (!token || token.customer_id !== customer.id) return c.redirect('/saved-cards?done=missing', 303)
      if (verb === 'revoke') await deps.vault.revoke(sk, token.token)
      else await deps.vault.deleteToken(sk, token.token)
      return c.redirect(`/saved-cards?done=${verb === 'revoke' ? 'revoked' : 'deleted'}`, 303)
    })
  }

  return app
}
