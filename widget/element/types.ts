// What tokenize() and handleNextAction() take and give: the element's public types, beside it.
import type { MaskedCard } from '../protocol.js'

export interface TokenizeOptions {
  /**
   * Removed: the browser cannot name the customer. Create a customer session for the customer on
   * your server (`POST /v1/customer-sessions`) and set the `customer-session` attribute; the card
   * is then saved for that customer. Passing `customerId` rejects with `customer_session_required`.
   */
  customerId?: never
}

/** What POST /v1/payments answered in `next_action` (status requires_action). */
export interface NextAction {
  type: 'three_d_secure'
  url: string
  client_secret: string
}

/** The payment's final status after 3-D Secure: `captured`, `authorized`, `declined` (with `decline_code`) or `canceled`. */
export interface NextActionResult {
  status: string
  decline_code?: string
}

export interface TokenizeResult {
  token: string
  card: MaskedCard
  /** A chosen saved card's CVC, encrypted for the vault: pass it as `card_cvc` with the token to POST /v1/payments. */
  cvc_token?: string
}
