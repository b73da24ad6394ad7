// How a payment, payout, capture or refund is refused by the vault itself, before the acquirer.
import { ApiError, CardError, ConflictError, InvalidRequestError, type ErrorBody } from '../errors.js'
import type { PaymentKind } from '../store/schema.js'

/**
 * The acquirer declined; unlike other failures the attempt is recorded (status `declined`),
 * so the error names it: `payment` or `payout` holds its id, for GET and for support.
 */
export class PaymentDeclinedError extends CardError {
  static readonly code = 'card_declined'
  readonly kind: PaymentKind
  readonly paymentId: string

  constructor(kind: PaymentKind, paymentId: string, declineCode: string) {
    super(PaymentDeclinedError.code, 'The card was declined.', undefined, 402, declineCode)
    this.kind = kind
    this.paymentId = paymentId
  }

  override toBody(): ErrorBody & Partial<Record<PaymentKind, string>> {
    return { ...super.toBody(), [this.kind]: this.paymentId }
  }
}

/**
 * The acquirer refused a payout for good (not the issuer: that is a decline): nothing was paid
 * out, and the attempt is recorded with status `failed`, so the error names it like a decline.
 * A 502, as DESIGN.md answers acquirer trouble; final, so the idempotency layer replays it.
 */
export class PayoutFailedError extends ApiError {
  static readonly code = 'payout_failed'
  readonly payoutId: string
  readonly failureCode: string

  constructor(payoutId: string, failureCode: string) {
    super(502, PayoutFailedError.code, 'The acquirer refused the payout: nothing was paid out. `failure_code` says why.')
    this.payoutId = payoutId
    this.failureCode = failureCode
  }

  override toBody(): ErrorBody & { payout: string } {
    return { ...super.toBody(), failure_code: this.failureCode, payout: this.payoutId }
  }
}

export const amountTooLarge = (limit: number, what: 'captured' | 'refunded') =>
  new InvalidRequestError('amount_too_large', `The amount exceeds the ${limit} that may still be ${what}.`, 'amount')

export const notCapturable = (status: string) => new ConflictError('payment_not_capturable', `A payment that is ${status} cannot be captured.`)

export const notCancelable = (status: string) =>
  new ConflictError('payment_not_cancelable', `A payment that is ${status} cannot be canceled: only an authorization not yet captured can be voided (refund a captured one).`)

export const notRefundable = (status: string) => new ConflictError('payment_not_refundable', `A payment that is ${status} cannot be refunded.`)

export const tokenNotActive = (status: string) =>
  new InvalidRequestError('token_not_active', `This token is ${status}; only active tokens can pay, pay out or verify.`, 'token', 422)

/** The project requires the CVC of a saved card the customer pays with, and none came. */
export const cvcRequired = () =>
  new InvalidRequestError('cvc_required', "This project requires the saved card's CVC when the customer pays: pass the element's `cvc_token` as `card_cvc`.", 'card_cvc')
