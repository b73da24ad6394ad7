// Opens a card JWE from the frame: decrypts it with the key ring, checks the payload's
// shape and freshness. Replay (the jti) is checked by the caller against the store.
import * as v from 'valibot'
import type { Clock } from '../clock.js'
import type { JweKeyRing } from '../crypto/jwe-keys.js'
import { CardNumber } from '../crypto/secret.js'
import { InvalidRequestError } from '../errors.js'

export const CARD_FRESHNESS = {
  /** A JWE older than this is refused. */
  maxAgeSeconds: 300,
  /** Browser clocks drift: an iat this far ahead is still accepted. */
  futureSkewSeconds: 60,
} as const

export interface CardPayload {
  number: CardNumber
  expMonth: number
  expYear: number
  cvc?: string | undefined
  name?: string | undefined
  iat: number
  jti: string
}

const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/

const payloadSchema = v.strictObject({
  number: v.pipe(v.string(), v.regex(/^\d{12,19}$/)),
  exp_month: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(12)),
  exp_year: v.pipe(v.number(), v.integer(), v.minValue(1000), v.maxValue(9999)),
  cvc: v.optional(v.pipe(v.string(), v.regex(/^\d{3,4}$/))),
  name: v.optional(v.pipe(v.string(), v.maxLength(64), v.regex(NO_CONTROL))),
  iat: v.pipe(v.number(), v.integer(), v.minValue(0)),
  jti: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
})

/**
 * A saved card's CVC from the frame: `{cvc, token, iat, jti}`, bound to the token it was typed
 * for. Same key, freshness and replay rules as a card JWE; the CVC is never stored or logged.
 */
export interface CvcPayload {
  cvc: string
  token: string
  iat: number
  jti: string
}

const cvcSchema = v.strictObject({
  cvc: v.pipe(v.string(), v.regex(/^\d{3,4}$/)),
  token: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
  iat: v.pipe(v.number(), v.integer(), v.minValue(0)),
  jti: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
})

/** The seconds a seen jti must be remembered: past that its JWE is stale anyway. */
export const JTI_MEMORY_SECONDS = CARD_FRESHNESS.maxAgeSeconds + CARD_FRESHNESS.futureSkewSeconds

export class CardPayloadReader {
  constructor(
    private readonly keyRing: JweKeyRing,
    private readonly clock: Clock,
  ) {}

  async read(jwe: string): Promise<CardPayload> {
    const p = await this.open(jwe, payloadSchema, 'card')
    return { number: CardNumber.of(p.number), expMonth: p.exp_month, expYear: p.exp_year, cvc: p.cvc, name: p.name, iat: p.iat, jti: p.jti }
  }

  /** A saved card's CVC JWE (`card_cvc` on a payment by token). */
  async readCvc(jwe: string): Promise<CvcPayload> {
    return this.open(jwe, cvcSchema, 'card_cvc')
  }

  private async open<S extends v.GenericSchema<unknown, { iat: number }>>(jwe: string, schema: S, param: string): Promise<v.InferOutput<S>> {
    const { plaintext } = await this.keyRing.decrypt(jwe)
    let json: unknown
    try {
      json = JSON.parse(Buffer.from(plaintext).toString('utf8'))
    } catch {
      throw new InvalidRequestError('invalid_card_payload', 'The encrypted card is not a JSON object.', param)
    }
    const parsed = v.safeParse(schema, json)
    if (!parsed.success) {
      // The message names the field only: a value here could be card data.
      const field = v.getDotPath(parsed.issues[0]) ?? ''
      throw new InvalidRequestError('invalid_card_payload', `The encrypted card has an invalid or unexpected field${field ? ` '${field}'` : ''}.`, field ? `${param}.${field}` : param)
    }
    const p = parsed.output
    const now = Math.floor(this.clock.now().getTime() / 1000)
    if (p.iat < now - CARD_FRESHNESS.maxAgeSeconds) throw new InvalidRequestError('expired_card_encryption', 'The encrypted card is too old; encrypt it again.', param)
    if (p.iat > now + CARD_FRESHNESS.futureSkewSeconds) throw new InvalidRequestError('premature_card_encryption', 'The encrypted card is dated in the future.', param)
    return p
  }
}
