// The HTTP AcquirerClient: JSON over fetch with a Bearer key, a timeout on every call and an
// Idempotency-Key on every POST. Speaks the sandbox acquirer's API (docs/acquirer.md).
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import * as v from 'valibot'
import { CardNumber } from '../crypto/secret.js'
import type {
  AccountUpdate,
  AccountUpdateBatch,
  AcquirerClient,
  AcquirerNotification,
  AmountRequest,
  Authentication,
  AuthenticationRequest,
  Authorization,
  CompletedAuthentication,
  AuthorizeRequest,
  CallOptions,
  CardDetails,
  Payout,
  PayoutRequest,
  StoredCardDetails,
  Verification,
  VerifyRequest,
} from './client.js'
import { DEFAULT_ACQUIRER_KEY, DEFAULT_ACQUIRER_URL } from '../../common/sandbox-acquirer.js'
import { AcquirerDeclinedError, AcquirerNotificationError, AcquirerRejectedError, AcquirerTimeoutError, AcquirerUnavailableError } from './errors.js'

export { DEFAULT_ACQUIRER_KEY, DEFAULT_ACQUIRER_URL }

export const HTTP_ACQUIRER_CLIENT_DEFAULTS = {
  url: DEFAULT_ACQUIRER_URL,
  apiKey: DEFAULT_ACQUIRER_KEY,
  timeoutMs: 5_000,
} as const

export interface HttpAcquirerClientOptions {
  url?: string
  apiKey?: string
  /** Per call, connection to last byte. */
  timeoutMs?: number
  /** Makes the idempotency key of a call that was given none. */
  newIdempotencyKey?: () => string
}

const isoDate = v.pipe(v.string(), v.isoTimestamp(), v.transform((s) => new Date(s)))
const money = v.pipe(v.number(), v.integer(), v.minValue(0))
const cvcCheck = v.picklist(['pass', 'unchecked'])
const month = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(12))
const year = v.pipe(v.number(), v.integer())
const cardNumber = v.pipe(v.string(), v.regex(/^\d{12,19}$/), v.transform((s) => CardNumber.of(s)))

const AuthorizationWire = v.object({
  id: v.string(),
  status: v.picklist(['authorized', 'captured', 'partially_refunded', 'refunded', 'canceled']),
  amount: money,
  amount_captured: money,
  amount_refunded: money,
  currency: v.string(),
  initiator: v.picklist(['customer', 'merchant']),
  cvc_check: cvcCheck,
  network_transaction_id: v.optional(v.nullable(v.string()), null),
  created_at: isoDate,
})

const PayoutWire = v.object({ id: v.string(), status: v.literal('paid'), amount: money, currency: v.string(), created_at: isoDate })

const VerificationWire = v.object({ id: v.string(), cvc_check: cvcCheck, created_at: isoDate })

const AccountUpdateWire = v.variant('type', [
  v.object({ id: v.string(), type: v.literal('new_expiry'), card_number: cardNumber, exp_month: month, exp_year: year, occurred_at: isoDate }),
  v.object({ id: v.string(), type: v.literal('new_number'), card_number: cardNumber, new_card_number: cardNumber, exp_month: month, exp_year: year, occurred_at: isoDate }),
  v.object({ id: v.string(), type: v.literal('closed'), card_number: cardNumber, occurred_at: isoDate }),
])

const InquiryWire = v.object({ update: v.nullable(AccountUpdateWire) })
const AuthenticationWire = v.object({
  id: v.string(),
  status: v.picklist(['challenge_required', 'authenticated', 'attempted', 'failed', 'unavailable']),
  flow: v.picklist(['frictionless', 'challenge']),
  version: v.string(),
  eci: v.nullable(v.pipe(v.string(), v.regex(/^\d{2}$/))),
  transaction_id: v.string(),
  challenge_url: v.nullable(v.pipe(v.string(), v.url())),
  created_at: isoDate,
})

const NotificationWire = v.object({ type: v.literal('authentication.completed'), authentication: AuthenticationWire })

/** The sandbox's notification signature header, and how old a signed notification may be. */
export const NOTIFICATION_SIGNATURE = { header: 'Tessera-Acquirer-Signature', toleranceSeconds: 300 } as const

function toAuthentication(w: v.InferOutput<typeof AuthenticationWire>): Authentication {
  const base = { reference: w.id, transactionId: w.transaction_id, version: w.version, createdAt: w.created_at }
  if (w.status === 'challenge_required') {
    if (!w.challenge_url) throw new AcquirerUnavailableError('a challenge without a challenge_url')
    return { ...base, status: 'challenge_required', challengeUrl: w.challenge_url }
  }
  return { ...base, status: 'completed', flow: w.flow, result: w.status, eci: w.eci }
}

const AccountUpdateListWire = v.object({ data: v.array(AccountUpdateWire), as_of: isoDate })

const ErrorWire = v.object({
  error: v.object({
    code: v.string(),
    message: v.string(),
    param: v.optional(v.string()),
    decline_code: v.optional(v.string()),
    reference: v.optional(v.string()),
  }),
})

function toAuthorization(w: v.InferOutput<typeof AuthorizationWire>): Authorization {
  return {
    reference: w.id,
    status: w.status,
    amount: w.amount,
    amountCaptured: w.amount_captured,
    amountRefunded: w.amount_refunded,
    currency: w.currency,
    initiator: w.initiator,
    cvcCheck: w.cvc_check,
    networkTransactionId: w.network_transaction_id,
    createdAt: w.created_at,
  }
}

function toAccountUpdate(w: v.InferOutput<typeof AccountUpdateWire>): AccountUpdate {
  const base = { id: w.id, number: w.card_number, occurredAt: w.occurred_at }
  if (w.type === 'closed') return { ...base, kind: 'closed' }
  if (w.type === 'new_expiry') return { ...base, kind: 'new_expiry', expMonth: w.exp_month, expYear: w.exp_year }
  return { ...base, kind: 'new_number', newNumber: w.new_card_number, expMonth: w.exp_month, expYear: w.exp_year }
}

/** The one place a card number is revealed: the body sent to the acquirer. */
function cardBody(card: CardDetails): Record<string, unknown> {
  const body: Record<string, unknown> = { number: card.number.reveal(), exp_month: card.expMonth, exp_year: card.expYear }
  if (card.cvc !== undefined) body.cvc = card.cvc
  return body
}

export class HttpAcquirerClient implements AcquirerClient {
  readonly #options: Readonly<Required<HttpAcquirerClientOptions>>

  constructor(options: HttpAcquirerClientOptions = {}) {
    this.#options = Object.freeze({
      url: (options.url ?? HTTP_ACQUIRER_CLIENT_DEFAULTS.url).replace(/\/+$/, ''),
      apiKey: options.apiKey ?? HTTP_ACQUIRER_CLIENT_DEFAULTS.apiKey,
      timeoutMs: options.timeoutMs ?? HTTP_ACQUIRER_CLIENT_DEFAULTS.timeoutMs,
      newIdempotencyKey: options.newIdempotencyKey ?? randomUUID,
    })
  }

  async authorize(request: AuthorizeRequest, options?: CallOptions): Promise<Authorization> {
    const body: Record<string, unknown> = { amount: request.amount, currency: request.currency, initiator: request.initiator, capture: request.capture, card: cardBody(request.card) }
    if (request.recurring) body.recurring = { type: request.recurring.type, network_transaction_id: request.recurring.networkTransactionId }
    if (request.threeDSecure) body.three_d_secure = { authentication_id: request.threeDSecure.reference }
    return toAuthorization(await this.#post('/v1/authorizations', body, AuthorizationWire, options))
  }

  async capture(reference: string, request: AmountRequest = {}, options?: CallOptions): Promise<Authorization> {
    const path = `/v1/authorizations/${encodeURIComponent(reference)}/capture`
    return toAuthorization(await this.#post(path, { amount: request.amount }, AuthorizationWire, options))
  }

  async refund(reference: string, request: AmountRequest = {}, options?: CallOptions): Promise<Authorization> {
    const path = `/v1/authorizations/${encodeURIComponent(reference)}/refund`
    return toAuthorization(await this.#post(path, { amount: request.amount }, AuthorizationWire, options))
  }

  async void(reference: string, options?: CallOptions): Promise<Authorization> {
    return toAuthorization(await this.#post(`/v1/authorizations/${encodeURIComponent(reference)}/void`, {}, AuthorizationWire, options))
  }

  async payout(request: PayoutRequest, options?: CallOptions): Promise<Payout> {
    const body = { amount: request.amount, currency: request.currency, card: cardBody(request.card) }
    const w = await this.#post('/v1/payouts', body, PayoutWire, options)
    return { reference: w.id, status: w.status, amount: w.amount, currency: w.currency, createdAt: w.created_at }
  }

  async verify(request: VerifyRequest, options?: CallOptions): Promise<Verification> {
    const w = await this.#post('/v1/verifications', { card: cardBody(request.card), currency: request.currency }, VerificationWire, options)
    return { reference: w.id, cvcCheck: w.cvc_check, createdAt: w.created_at }
  }

  async accountUpdates(since: Date): Promise<AccountUpdateBatch> {
    const w = await this.#call('GET', `/v1/account_updates?since=${encodeURIComponent(since.toISOString())}`, undefined, AccountUpdateListWire)
    return { updates: w.data.map(toAccountUpdate), asOf: w.as_of }
  }

  async accountInquiry(card: StoredCardDetails): Promise<AccountUpdate | null> {
    const w = await this.#post('/v1/account_updates/inquiries', { card: cardBody(card) }, InquiryWire)
    return w.update === null ? null : toAccountUpdate(w.update)
  }

  async authenticate(request: AuthenticationRequest, options?: CallOptions): Promise<Authentication> {
    const body = { amount: request.amount, currency: request.currency, card: cardBody(request.card), notification_url: request.notificationUrl }
    return toAuthentication(await this.#post('/v1/authentications', body, AuthenticationWire, options))
  }

  /** HMAC-SHA256 with the API key over `<t>.<body>`, `t` within the tolerance of `now`. */
  readNotification(notification: AcquirerNotification, now: Date): CompletedAuthentication {
    const header = notification.header(NOTIFICATION_SIGNATURE.header) ?? ''
    const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header)
    if (!match) throw new AcquirerNotificationError('no signature')
    const t = Number(match[1])
    if (Math.abs(now.getTime() / 1000 - t) > NOTIFICATION_SIGNATURE.toleranceSeconds) throw new AcquirerNotificationError('signature too old')
    const expected = createHmac('sha256', this.#options.apiKey).update(`${t}.${notification.body}`).digest()
    if (!timingSafeEqual(expected, Buffer.from(match[2] as string, 'hex'))) throw new AcquirerNotificationError('bad signature')
    const parsed = v.safeParse(NotificationWire, parseJson(notification.body))
    if (!parsed.success) throw new AcquirerNotificationError('unreadable notification')
    const authentication = toAuthentication(parsed.output.authentication)
    if (authentication.status !== 'completed') throw new AcquirerNotificationError('notification of an unfinished authentication')
    return authentication
  }

  #post<S extends v.GenericSchema>(path: string, body: object, schema: S, options?: CallOptions): Promise<v.InferOutput<S>> {
    return this.#call('POST', path, body, schema, options?.idempotencyKey ?? this.#options.newIdempotencyKey())
  }

  async #call<S extends v.GenericSchema>(method: string, path: string, body: object | undefined, schema: S, idempotencyKey?: string): Promise<v.InferOutput<S>> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.#options.apiKey}`, Accept: 'application/json' }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    if (idempotencyKey !== undefined) headers['Idempotency-Key'] = idempotencyKey
    let status: number
    let text: string
    try {
      const response = await fetch(this.#options.url + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      })
      status = response.status
      // The timeout covers the body too: an acquirer that stalls mid-answer is a timeout.
      text = await response.text()
    } catch (error) {
      throw this.#transportError(error)
    }
    if (status >= 200 && status < 300) {
      const parsed = v.safeParse(schema, parseJson(text))
      if (!parsed.success) throw new AcquirerUnavailableError(`unreadable ${status} answer to ${method} ${path.split('?')[0]}`)
      return parsed.output
    }
    throw errorFromAnswer(status, text)
  }

  #transportError(error: unknown): Error {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return new AcquirerTimeoutError(this.#options.timeoutMs)
    const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined
    return new AcquirerUnavailableError(`transport: ${cause?.code ?? (error instanceof Error ? error.message : 'unknown')}`)
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function errorFromAnswer(status: number, text: string): Error {
  const parsed = v.safeParse(ErrorWire, parseJson(text))
  const error = parsed.success ? parsed.output.error : undefined
  if (status === 402 && error?.decline_code) return new AcquirerDeclinedError(error.decline_code, error.reference)
  if (status >= 500 || error === undefined) return new AcquirerUnavailableError(`status ${status}${error ? `: ${error.code}` : ''}`)
  // A refused key is the vault's configuration, not the merchant's request.
  if (status === 401 || status === 403) return new AcquirerUnavailableError(`status ${status}: the acquirer refused the API key`)
  // "Try again later" (request timeout, too early, too many requests) is the acquirer's trouble,
  // not a refusal of the merchant's request: answered as acquirer_unavailable, nothing recorded.
  if (status === 408 || status === 425 || status === 429) return new AcquirerUnavailableError(`status ${status}: ${error.code}`)
  return new AcquirerRejectedError(status, error.code, error.message, error.param, error.reference)
}
