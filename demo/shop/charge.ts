// Charging a token the browser handed over, as a careful merchant does: check the token belongs
// to the signed-in customer where it must, price the cart on the server, pay with an
// Idempotency-Key, and keep a card only when the customer asked for it and it paid.
import { cartTotal, CURRENCY, type DemoCustomer } from './catalog.js'
import type { DemoProjectRecord } from './demo-projects.js'
import type { ShopRecords } from './records.js'
import { VaultError, type MaskedCard, type PaymentObject, type TokenObject, type VaultClient } from './vault-client.js'

export interface ChargeInput {
  project: DemoProjectRecord
  customer: DemoCustomer
  token: string
  /** `checkout`: a card just typed; `one-click`: one of the customer's saved cards. */
  flow: 'checkout' | 'one-click'
  /** The customer ticked "Save this card" (a new card), or chose one of their saved cards. */
  save: boolean
  /** Browser session id and the page's attempt id: the payment's Idempotency-Key. */
  sid: string
  attempt: string
}

export type ChargeResult =
  | { outcome: 'paid'; payment: PaymentObject; card: MaskedCard; saved: boolean }
  | { outcome: 'declined'; declineCode: string; paymentId: string | null; card: MaskedCard }
  | { outcome: 'refused'; status: number; code: string; message: string }

export interface ChargeDeps {
  vault: VaultClient
  records: ShopRecords
}

const refused = (status: number, code: string, message: string): ChargeResult => ({ outcome: 'refused', status, code, message })

export async function charge(deps: ChargeDeps, input: ChargeInput): Promise<ChargeResult> {
  const sk = input.project.test.secret_key
  let token: TokenObject
  try {
    token = await deps.vault.token(sk, input.token)
  } catch (error) {
    if (error instanceof VaultError) return refused(error.status === 404 ? 404 : error.status, error.code, error.message)
    throw error
  }
  // A one-click payment must use a card of the signed-in customer; anything else is someone
  // else's card offered by a tampered page, and is answered as if it did not exist.
  if (input.flow === 'one-click' && token.customer_id !== input.customer.id) return refused(404, 'token_not_found', 'No such saved card.')
  if (token.status !== 'active') return refused(422, 'token_not_active', `This card is ${token.status}.`)

  // A card saved for an earlier attempt that failed and was given up is forgotten now.
  await forgetUnpaid(deps, sk, input.customer.id, token.token)
  const { total } = cartTotal()
  let result: ChargeResult
  try {
    const payment = await deps.vault.pay(sk, { token: token.token, amount: total, currency: CURRENCY, initiator: 'customer' }, `shop:${input.sid}:${input.attempt}`)
    result = { outcome: 'paid', payment, card: token.card, saved: token.customer_id === input.customer.id && (input.save || !typedNow(token, input)) }
  } catch (error) {
    if (!(error instanceof VaultError)) throw error
    result = error.code === 'card_declined' ? { outcome: 'declined', declineCode: error.declineCode ?? 'declined', paymentId: error.paymentId ?? null, card: token.card } : refused(error.status, error.code, error.message)
  }
  // A payment waiting for 3-D Secure still needs its token: it is not forgotten before the
  // challenge ends (this demo then keeps an unsaved token; a real shop would finish it on the
  // payment.updated webhook).
  const waiting = result.outcome === 'paid' && result.payment.status === 'requires_action'
  if (!waiting) await forgetUnwanted(deps, sk, token, input, result)
  deps.records.addOrder({
    at: new Date().toISOString(),
    projectName: input.project.name,
    customerId: input.customer.id,
    paymentId: result.outcome === 'paid' ? result.payment.id : result.outcome === 'declined' ? result.paymentId : null,
    status: result.outcome === 'paid' ? result.payment.status : result.outcome === 'declined' ? 'declined' : `refused: ${result.code}`,
    amount: total,
    currency: CURRENCY,
    card: token.card,
    token: token.token,
    saved: result.outcome === 'paid' && result.saved,
    declineCode: result.outcome === 'declined' ? result.declineCode : null,
  })
  return result
}

/**
 * A card typed for this attempt: bound to the signed-in customer by the customer session when it
 * was tokenized (One-click's field always carries one; Checkout's only with "Save" ticked) and
 * never used to pay before. Cards this shop saved have paid, so they are never taken for one.
 */
function typedNow(token: TokenObject, input: ChargeInput): boolean {
  return token.customer_id === input.customer.id && token.last_used_at === null
}

/**
 * A card is kept only when the customer asked for it and it paid. One nobody asked to keep (no
 * customer, or typed at One-click with "Save" unticked) is deleted once it has paid, and a card
 * typed for this attempt is deleted when it is declined, so it never turns up at One-click. When
 * the payment timed out or failed, the shopper may retry this very token under the same
 * Idempotency-Key (a new token would be a new payment, which could charge twice): it is kept for
 * now and forgotten as soon as the shopper moves on (another card, or One-click, which then does
 * not list it).
 */
async function forgetUnwanted(deps: ChargeDeps, sk: string, token: TokenObject, input: ChargeInput, result: ChargeResult): Promise<void> {
  const fresh = typedNow(token, input)
  const unwanted = token.customer_id === null || (fresh && !input.save)
  if (result.outcome === 'paid') {
    deps.records.markPaid(input.customer.id, token.token)
    if (unwanted) await deps.vault.deleteToken(sk, token.token).catch(() => undefined)
    return
  }
  if (!unwanted && !fresh) return
  if (result.outcome === 'refused') deps.records.markUnpaid(input.customer.id, token.token)
  else await deps.vault.deleteToken(sk, token.token).catch(() => undefined)
}

/** Deletes the customer's cards saved for attempts that failed and were given up (never paid). */
export async function forgetUnpaid(deps: ChargeDeps, sk: string, customerId: string, keep?: string): Promise<void> {
  await Promise.all(deps.records.takeUnpaid(customerId, keep).map((token) => deps.vault.deleteToken(sk, token).catch(() => undefined)))
}
