// The sandbox acquirer's request bodies, checked at the edge. Unknown fields are refused, so a
// caller's mistake (a CVC where none belongs, a misspelt field) shows at once.
import * as v from 'valibot'
import { invalidRequest } from './errors.js'

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'))

const amount = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(99_999_999_999))
const currency = v.pipe(v.string(), v.regex(/^[A-Z]{3}$/), v.check((c) => CURRENCIES.has(c)))
const cardFields = {
  number: v.pipe(v.string(), v.regex(/^\d{12,19}$/)),
  exp_month: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(12)),
  exp_year: v.pipe(v.number(), v.integer(), v.minValue(2000), v.maxValue(2100)),
}
const cardWithCvc = v.strictObject({ ...cardFields, cvc: v.optional(v.pipe(v.string(), v.regex(/^\d{3,4}$/))) })

export const AuthorizeBody = v.strictObject({
  amount,
  currency,
  card: cardWithCvc,
  initiator: v.picklist(['customer', 'merchant']),
  capture: v.optional(v.boolean(), true),
  // Stored credentials (seed 003): the first, customer-initiated payment gets a network
  // transaction id; later merchant-initiated ones must send it.
  recurring: v.optional(
    v.strictObject({
      type: v.picklist(['unscheduled', 'recurring', 'installment']),
      network_transaction_id: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/))),
    }),
  ),
  /** The 3-D Secure authentication this authorization carries (its id at this acquirer). */
  three_d_secure: v.optional(v.strictObject({ authentication_id: v.pipe(v.string(), v.maxLength(64)) })),
})

export const AuthenticateBody = v.strictObject({
  amount,
  currency,
  card: v.strictObject(cardFields),
  /** Where the result of a challenge is POSTed, signed, server to server. */
  notification_url: v.pipe(v.string(), v.maxLength(2048), v.url()),
})

export const AmountBody = v.strictObject({ amount: v.optional(amount) })

// A payout carries no CVC: the money goes to the card, and the vault never keeps one.
export const PayoutBody = v.strictObject({ amount, currency, card: v.strictObject(cardFields) })

export const VerifyBody = v.strictObject({ card: cardWithCvc, currency: v.optional(currency) })

export const InquiryBody = v.strictObject({ card: v.strictObject(cardFields) })

export const AccountUpdatesQuery = v.object({ since: v.pipe(v.string(), v.isoTimestamp()) })

/** Parses `input` or throws a 400 naming the first bad field (never echoing its value). */
export function parse<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input)
  if (result.success) return result.output
  const issue = result.issues[0]
  const param = issue ? v.getDotPath(issue) ?? undefined : undefined
  throw invalidRequest('parameter_invalid', param ? `The parameter ${param} is missing or invalid.` : 'The request body is invalid.', param)
}
