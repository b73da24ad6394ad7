// The Checkout and One-click pages: the cart, and a payment panel around <tessera-card>.
import { CART, cartTotal, CUSTOMERS, type DemoCustomer } from '../catalog.js'
import type { ShopSession } from '../env.js'
import { csrfField, html, money, type Html } from './html.js'

export function cart(): Html {
  const { subtotal, shipping, total } = cartTotal()
  return html`<section class="panel cart" aria-labelledby="cart-heading">
    <h2 id="cart-heading">Your cart</h2>
    <ul class="cart-lines">
      ${CART.map(
        (line) => html`<li>
        <span class="swatch ${line.swatch}" aria-hidden="true"></span>
        <div class="item"><p class="item-name">${line.name}</p><p class="muted">${line.detail} · Qty ${line.quantity}</p></div>
        <span class="price">${money(line.quantity * line.unitPrice)}</span>
      </li>`,
      )}
    </ul>
    <dl class="totals">
      <div><dt>Subtotal</dt><dd>${money(subtotal)}</dd></div>
      <div><dt>Shipping</dt><dd>${money(shipping)}</dd></div>
      <div class="grand-total"><dt>Total</dt><dd>${money(total)}</dd></div>
    </dl>
  </section>`
}

export interface PayPanelOptions {
  flow: 'checkout' | 'one-click'
  customer: DemoCustomer
  publishableKey: string
  /** One-click: the customer session's client secret, for the saved-card list and new cards. */
  customerSession?: string | undefined
  /** Checkout: a customer session the page puts on the field only when the card is to be saved. */
  saveSession?: string | undefined
  /** The loader could not be reached: show why instead of a dead field. */
  vaultDown: boolean
  intro?: Html
  /** One-click with saved cards: a saved card starts chosen, so "Save this card" starts hidden. */
  savedCards?: boolean
}

function payPanel(options: PayPanelOptions): Html {
  const { total } = cartTotal()
  const field = options.vaultDown
    ? html`<p class="notice notice-error" role="alert">The vault is not answering, so the card field cannot load. Is <code>npm start</code> still running?</p>`
    : html`<label for="card" class="field-label">${options.flow === 'one-click' ? 'Pay with' : 'Card details'}</label>
      <tessera-card id="card" publishable-key="${options.publishableKey}" ${options.customerSession ? html`customer-session="${options.customerSession}"` : ''}></tessera-card>`
  return html`<section class="panel pay" aria-labelledby="pay-heading">
    <h2 id="pay-heading">${options.flow === 'one-click' ? 'One-click payment' : 'Payment'}</h2>
    ${options.intro ?? ''}
    <form id="pay-form" class="pay-form" data-flow="${options.flow}" ${options.saveSession ? html`data-save-session="${options.saveSession}"` : ''} novalidate>
      ${field}
      <label class="check" id="save-label" ${options.savedCards ? 'hidden' : ''}><input type="checkbox" name="save" id="save"> Save this card for ${options.customer.name}'s next order</label>
      <button type="submit" class="button button-primary button-block" id="pay-button" ${options.vaultDown ? 'disabled' : ''}>Pay ${money(total)}</button>
      ${
        options.flow === 'checkout'
          ? html`<p class="hint">Test card <span class="mono">4242 4242 4242 4242</span>, any future expiry, any CVC. A decline: <span class="mono">4000 0000 0000 0002</span>. <a href="/test-cards">All test cards</a></p>`
          : html`<p class="hint">Choose a saved card or use a new one (a new card is saved only when “Save this card” is ticked, and only once it has paid). Revoke or delete cards on <a href="/saved-cards">Saved cards</a>.</p>`
      }
    </form>
    <div id="pay-status" class="pay-status" role="status" aria-live="polite"></div>
  </section>`
}

export function checkoutBody(options: PayPanelOptions): Html {
  return html`<h1>Checkout</h1>
  <p class="lede">The card field below is an iframe served by the vault. Paying tokenizes the card in your browser; this shop's server then charges the token with its secret key.</p>
  <div class="checkout-grid">${cart()}${payPanel(options)}</div>`
}

function customerPicker(session: ShopSession): Html {
  return html`<section class="panel" aria-labelledby="who-heading">
    <h2 id="who-heading">Who is shopping?</h2>
    <ul class="customers">
      ${CUSTOMERS.map((customer) => {
        const current = customer.id === session.customer.id
        return html`<li><form method="post" action="/session/customer">
          ${csrfField(session)}<input type="hidden" name="return" value="/one-click"><input type="hidden" name="customer" value="${customer.id}">
          <button type="submit" class="customer ${current ? 'customer-current' : ''}" aria-pressed="${current ? 'true' : 'false'}">
            <span class="avatar" aria-hidden="true">${customer.name.split(' ').map((w) => w[0]).join('')}</span>
            <span class="customer-text"><span class="customer-name">${customer.name}</span><span class="muted">${customer.email}</span></span>
          </button></form></li>`
      })}
    </ul>
  </section>`
}

export function oneClickBody(session: ShopSession, savedCount: number, panel: PayPanelOptions): Html {
  const intro =
    savedCount === 0
      ? html`<p class="notice intro">${session.customer.name} has no saved cards in this project yet. Pay once at <a href="/checkout">Checkout</a> with “Save this card” ticked, or pay with a new card here.</p>`
      : html`<p class="muted intro">${session.customer.name} has ${savedCount} saved card${savedCount === 1 ? '' : 's'}. The list comes straight from the vault through a 30-minute customer session; the shop's page never holds more than the masked card.</p>`
  return html`<h1>One-click checkout</h1>
  <p class="lede">A returning customer picks a saved card and pays with one click: no card details typed, no CVC.</p>
  ${customerPicker(session)}
  <div class="checkout-grid">${cart()}${payPanel({ ...panel, intro, savedCards: savedCount > 0 })}</div>`
}
