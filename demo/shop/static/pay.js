// Checkout and One-click: tokenize in the card field (the card never touches this page), then
// hand the token to the shop's server, which charges it through the vault. The page never names
// the customer: a card is saved for the customer of the session the server put in the page
// (One-click: on the field from the start; Checkout: set on the field when "Save" is ticked).
import { cardLabel, el, money, postJson, tokenizeProblem } from './shop.js'

const form = document.getElementById('pay-form')
const card = document.getElementById('card')
const button = document.getElementById('pay-button')
const status = document.getElementById('pay-status')
const flow = form.dataset.flow
// Whether the customer has typed anything: a customer session set on an empty field would let
// its first saved card answer tokenize(), paying with a card nobody chose on this page.
let empty = true
// Whether one of the customer's saved cards is chosen (One-click): "Save this card" is for a new
// card only, so it hides while a saved card is chosen.
let savedCard = false
const saveLabel = document.getElementById('save-label')
card?.addEventListener('tessera-change', (event) => {
  empty = event.detail.empty
  savedCard = event.detail.savedCard === true
  if (saveLabel) saveLabel.hidden = savedCard
})

// What the shopper reads for a decline: never the raw code (do_not_honor means nothing to them).
const DECLINES = {
  insufficient_funds: 'There is not enough money on the card.',
  do_not_honor: 'Your bank declined the payment. Try another card or contact your bank.',
  expired_card: 'Your bank says the card has expired.',
  incorrect_cvc: 'The security code is not right.',
  incorrect_number: 'The card number is not right.',
  lost_card: 'Your bank declined the payment. Try another card or contact your bank.',
  stolen_card: 'Your bank declined the payment. Try another card or contact your bank.',
  authentication_failed: 'Your bank could not confirm that it is you.',
  authentication_unavailable: 'Your bank could not check that it is you.',
  authentication_required: 'Your bank asks to confirm the payment, which this checkout did not do.',
}

// One checkout attempt = one Idempotency-Key. A retry after an error (the acquirer did not
// answer, the shop could not be reached) sends the same token under the same key, so the vault
// answers with the first payment instead of charging twice. A new key only after a payment or a
// decline, or when the customer changed the card (the element then no longer holds its token).
let attempt = crypto.randomUUID()
let pending = null // { token } of the attempt that has not been answered with paid or declined

function show(kind, title, ...lines) {
  status.replaceChildren(el('div', { class: `notice notice-${kind}` }, el('h3', {}, title), ...lines.map((line) => el('p', {}, ...[line].flat()))))
}

function paid(result) {
  const { payment } = result
  show(
    'success',
    'Payment successful',
    `${money(payment.amount, payment.currency)} paid with ${cardLabel(result.card)}.${result.saved && flow === 'checkout' ? ' The card is saved for one-click checkout.' : ''}`,
    ['Payment ', el('a', { href: `/tokens?id=${encodeURIComponent(payment.id)}`, class: 'mono' }, payment.id), ` · ${payment.status} · `, el('a', { href: '/webhooks' }, 'see the webhooks')],
  )
  if (flow === 'checkout') card.clear()
}

function declined(result) {
  show('error', 'Payment declined', DECLINES[result.declineCode] ?? 'Your bank declined the payment. Try another card.', `${cardLabel(result.card)} was not charged.`)
}

form.addEventListener('submit', async (event) => {
  event.preventDefault()
  if (!card || button.disabled) return
  const label = button.textContent
  button.disabled = true
  button.textContent = 'Paying…'
  form.setAttribute('aria-busy', 'true')
  status.replaceChildren()
  try {
    // A saved card stays saved; a new card is kept only with the customer's consent.
    const save = savedCard || (form.elements.namedItem('save')?.checked ?? false)
    let token
    // The element is valid only while it still holds the token of the unanswered attempt.
    const retry = pending !== null && pending.save === save && card.validity.valid
    if (retry) token = pending.token
    else {
      try {
        if (flow === 'checkout') card.customerSession = save && !empty ? (form.dataset.saveSession ?? null) : null
        ;({ token } = await card.tokenize())
      } catch (error) {
        show('error', 'Card not accepted', tokenizeProblem(error))
        return
      }
      attempt = crypto.randomUUID()
      pending = { token, save }
    }
    const answer = await postJson(`/api/${flow}`, { token, save, attempt })
    if (answer.body.outcome === 'paid' || answer.body.outcome === 'declined') pending = null
    // 3-D Secure: the bank's challenge in the card field's dialog, then the payment's final status.
    if (answer.body.outcome === 'paid' && answer.body.payment.status === 'requires_action') {
      try {
        const final = await card.handleNextAction(answer.body.payment.next_action)
        answer.body.payment.status = final.status
        if (final.status === 'declined') return declined({ ...answer.body, declineCode: final.decline_code })
        if (final.status === 'canceled') return show('error', 'Payment canceled', 'The payment was not confirmed in time.')
      } catch (error) {
        if (error?.code === 'authentication_canceled') return show('error', 'Payment not confirmed', 'You closed the bank\'s confirmation. Nothing was charged; press Pay to try again.')
        return show('error', 'Payment failed', error?.message ?? 'The bank\'s confirmation could not be shown.')
      }
    }
    if (answer.body.outcome === 'paid') paid(answer.body)
    else if (answer.body.outcome === 'declined') declined(answer.body)
    else show('error', 'Payment failed', answer.body.error?.message ?? `The shop answered ${answer.status}.`)
  } catch {
    show('error', 'Payment failed', 'The shop could not be reached.')
  } finally {
    button.disabled = false
    button.textContent = label
    form.removeAttribute('aria-busy')
  }
})
