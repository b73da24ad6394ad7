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
  /** Checkout only: the customer ticked "save this card". */
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
    result = { outcome: 'paid', payment, card: token.card, saved: input.flow === 'one-click' || (input.save && token.customer_id === input.customer.id) }
  } catch (error) {
    if (!(error instanceof VaultError)) throw error
    result = error.code === 'card_declined' ? { outcome: 'declined', declineCode: error.declineCode ?? 'declined', paymentId: error.paymentId ?? null, card: token.card } : refused(error.status, error.code, error.message)
  }
  // A payment waiting for 3-D Secure still needs its token: it is not forgotten before the
  // challenge ends (this demo then keeps an unsaved token; a real shop would finish it on the
  // payment.updated webhook).
  const waiting = result.outcome === 'paid' && result.payment.status === 'requires_action'
  if (input.flow === 'checkout' && !waiting) await forgetUnwanted(deps, sk, token, input, result)
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
 * A card nobody asked to keep is deleted once it has paid (or failed to): a token that belongs
 * to no customer is exactly that. A card saved just now that was declined and has never paid is
 * deleted too, so a declined card does not turn up at one-click checkout; one whose payment
 * timed out or failed is deleted once the shopper gives up on it (forgetUnpaid).
 */
async function forgetUnwanted(deps: ChargeDeps, sk: string, token: TokenObject, input: ChargeInput, result: ChargeResult): Promise<void> {
  const unsaved = token.customer_id === null
  const savedNew = input.save && token.customer_id === input.customer.id && token.last_used_at === null
  if (result.outcome === 'paid') deps.records.markPaid(input.customer.id, token.token)
  // Timed out or failed: the shopper may retry this very token under the same Idempotency-Key
  // (a new token could charge twice), so it is kept for now and forgotten as soon as the
  // shopper moves on (another card, or One-click, which then does not list it).
  if (result.outcome === 'refused' && savedNew) deps.records.markUnpaid(input.customer.id, token.token)
  const declinedNew = result.outcome === 'declined' && savedNew
  if (!unsaved && !declinedNew) return
  await deps.vault.deleteToken(sk, token.token).catch(() => undefined)
}

/** Deletes the customer's cards saved for attempts that failed and were given up (never paid). */
export async function forgetUnpaid(deps: ChargeDeps, sk: string, customerId: string, keep?: string): Promise<void> {
  await Promise.all(deps.records.takeUnpaid(customerId, keep).map((token) => deps.vault.deleteToken(sk, token).catch(() => undefined)))
}
