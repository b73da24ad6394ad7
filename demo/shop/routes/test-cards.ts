// Test cards: the vault's documented test numbers and the sandbox acquirer's behaviour cards,
// with what each does in this shop.
import { Hono } from 'hono'
import { DOCUMENTED_TEST_CARDS } from '../../../common/test-cards.js'
import { brandOf } from '../../../common/card-rules.js'
import { groupDigits } from '../../../widget/frame/format.js'
import { SANDBOX_TEST_CARDS, type SandboxBehaviour } from '../../acquirer/test-cards.js'
import type { ShopDeps, ShopEnv } from '../env.js'
import { brandName, html, type Html } from '../views/html.js'
import { render } from './support.js'

const declinedAtPayment = (code: string) =>
  `Checkout: becomes a token (basic checks pass), then the payment is declined with ${code}. In the acquirer-verified project it is refused when tokenized.`

const HERE: Record<SandboxBehaviour, string> = {
  approve: 'Pays.',
  insufficient_funds: declinedAtPayment('insufficient_funds'),
  do_not_honor: declinedAtPayment('do_not_honor'),
  expired_card: declinedAtPayment('expired_card'),
  incorrect_cvc: 'Declined wherever a CVC is sent: at tokenization in the acquirer-verified project. A payment with a token sends no CVC (the vault never keeps one), so it pays.',
  processing_error: 'The acquirer fails with a 500: the payment answers 502 acquirer_unavailable and nothing is charged.',
  hang: 'The acquirer never answers: the vault gives up after 5 s with 504 acquirer_timeout.',
  update_new_expiry: "Pays. At the vault's next account-updater run (hourly), a saved card's expiry moves three years on (token.updated).",
  update_new_number: "Pays. At the vault's next account-updater run, a saved card gets the new number behind the same token (token.updated).",
  update_closed: "Pays. At the vault's next account-updater run, a saved card's token becomes invalid (token.invalidated).",
  three_d_secure_challenge: '3-D Secure: checkout opens the bank\'s challenge in a dialog; Complete pays, Fail declines (authentication_failed), Escape cancels.',
  three_d_secure_frictionless: '3-D Secure, frictionless: pays without a challenge (result authenticated, ECI 05).',
  three_d_secure_failed: '3-D Secure, frictionless: declined with authentication_failed, no challenge.',
  three_d_secure_unavailable: '3-D Secure unavailable: pays without authentication (automatic); a payment that requires 3-D Secure is declined with authentication_unavailable.',
  payout_not_supported: 'Pays. A payout to it fails for good (the card cannot receive payouts): the vault records the payout as failed and sends payout.failed.',
}

function number(digits: string): Html {
  const grouped = groupDigits(digits, brandOf(digits).gaps)
  return html`<span class="nowrap"><span class="mono">${grouped}</span> <button type="button" class="copy button button-small button-ghost" data-copy="${digits}" aria-label="Copy ${grouped}" hidden>Copy</button></span>`
}

function testCardsBody(): Html {
  return html`<h1>Test cards</h1>
  <p class="lede">Test mode accepts only these numbers, with any future expiry and any CVC of the brand's length (4 digits for American Express). Live mode refuses them.</p>
  <section aria-labelledby="vault-cards"><h2 id="vault-cards">Cards that pay</h2>
  <div class="table-wrap"><table class="table">
    <thead><tr><th scope="col">Number</th><th scope="col">Brand</th><th scope="col">In this shop</th></tr></thead>
    <tbody>${DOCUMENTED_TEST_CARDS.map((d) => html`<tr><td>${number(d)}</td><td>${brandName(brandOf(d).brand)}</td><td>Pays.</td></tr>`)}</tbody>
  </table></div></section>
  <section aria-labelledby="sandbox-cards"><h2 id="sandbox-cards">Sandbox acquirer behaviours</h2>
  <p class="muted">The sandbox acquirer decides by card number first, then expiry, CVC and amount. With any other card, CVC <span class="mono">999</span> is declined as incorrect_cvc wherever a CVC is sent.</p>
  <div class="table-wrap"><table class="table">
    <thead><tr><th scope="col">Number</th><th scope="col">Behaviour</th><th scope="col">In this shop</th></tr></thead>
    <tbody>${SANDBOX_TEST_CARDS.map((card) => html`<tr><td>${number(card.number)}</td><td><span class="mono">${card.behaviour}</span></td><td>${HERE[card.behaviour]}</td></tr>`)}</tbody>
  </table></div></section>
  <p class="muted">The acquirer also answers by amount (2000.05 do_not_honor, 2000.51 insufficient_funds, …; see <code>docs/acquirer.md</code>); this shop's cart has a fixed total.</p>`
}

export function testCardRoutes(deps: ShopDeps): Hono<ShopEnv> {
  const app = new Hono<ShopEnv>()
  app.get('/test-cards', (c) => render(c, deps, { title: 'Test cards', active: '/test-cards', body: testCardsBody(), script: 'copy.js' }))
  return app
}
