// The hosted checkout's pages: the cart with a button that sends the shopper to the vault's
// payment page, and the order page the shopper comes back to.
import { cartTotal, type DemoCustomer } from '../catalog.js'
import type { ShopSession } from '../env.js'
import type { PaymentPageObject } from '../vault-client.js'
import { cart } from './checkout.js'
import { badge, csrfField, html, money, type Html } from './html.js'

export function hostedBody(session: ShopSession, customer: DemoCustomer, notice?: Html): Html {
  const { total } = cartTotal()
  return html`<h1>Pay on a hosted page</h1>
  <p class="lede">No card field on this shop at all: its server asks the vault for a payment page with its secret key and sends you there. The vault's page takes the card, runs the payment and sends you back; this shop then asks the vault how it went.</p>
  ${notice ?? ''}
  <div class="checkout-grid">${cart()}
  <section class="panel pay" aria-labelledby="hosted-heading">
    <h2 id="hosted-heading">Payment</h2>
    <form method="post" action="/hosted/start" class="pay-form">
      ${csrfField(session)}
      <label class="check"><input type="checkbox" name="save" id="hosted-save" checked> Save the card for ${customer.name}'s next order</label>
      <label for="hosted-locale" class="field-label">Language of the payment page</label>
      <select id="hosted-locale" name="locale"><option value="en" selected>English</option><option value="ro">Română</option></select>
      <button type="submit" class="button button-primary button-block" id="hosted-button">Continue to payment (${money(total)})</button>
      <p class="hint">The page is the vault's, on the vault's origin, open for 30 minutes and used once. Test card <span class="mono">4242 4242 4242 4242</span>.</p>
    </form>
  </section></div>`
}

const TONES = { completed: 'good', failed: 'bad', expired: 'warn', open: 'neutral' } as const

/** What the shop learnt from the vault (never from the redirect itself). */
export function hostedReturnBody(page: PaymentPageObject): Html {
  const paid = page.status === 'completed' && page.payment !== undefined
  const headline = paid
    ? html`<p class="notice notice-success" id="hosted-result">Payment successful: ${money(page.payment?.amount ?? 0, page.payment?.currency)} (${page.payment?.status}). Order confirmed.</p>`
    : page.status === 'failed'
      ? html`<p class="notice notice-error" id="hosted-result">The payment was declined${page.payment?.decline_code ? html` (${page.payment.decline_code})` : ''}. Nothing was charged.</p>`
      : page.status === 'expired'
        ? html`<p class="notice notice-error" id="hosted-result">The payment page expired before it was used. Nothing was charged.</p>`
        : html`<p class="notice" id="hosted-result">The payment page has not been paid. Nothing was charged.</p>`
  return html`<h1>Your order</h1>
  ${headline}
  <dl class="totals">
    <div><dt>Payment page</dt><dd class="mono">${page.id}</dd></div>
    <div><dt>Page status</dt><dd>${badge(page.status, TONES[page.status])}</dd></div>
    ${page.payment ? html`<div><dt>Payment</dt><dd class="mono">${page.payment.id}</dd></div>` : ''}
    ${page.token ? html`<div><dt>Saved card token</dt><dd class="mono">${page.token.slice(0, 16)}…</dd></div>` : ''}
  </dl>
  <p><a href="/hosted">Back to the hosted checkout</a></p>`
}
