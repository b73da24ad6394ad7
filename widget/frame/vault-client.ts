// The frame's calls to its own vault (same origin, so connect-src 'self' holds): the JWKS, token
// creation with the publishable key, and a customer's saved cards with a session secret. The
// session secret goes with token creation too: the vault takes the customer from it.
import * as v from 'valibot'
import { errorCodeSchema, errorTypeSchema, type ErrorPayload, type MaskedCard } from '../protocol.js'
import type { EncryptionKey } from './encrypt.js'

/** A failed call, carrying the vault's error shape (or a network_error made here). */
export class VaultError extends Error {
  readonly payload: ErrorPayload
  constructor(payload: ErrorPayload) {
    super(payload.message)
    this.payload = payload
  }
}

export interface SavedCard {
  token: string
  card: MaskedCard
}

const REQUEST_TIMEOUT_MS = 20_000

const Jwks = v.object({
  keys: v.pipe(
    v.array(v.looseObject({ kty: v.literal('EC'), crv: v.literal('P-256'), x: v.string(), y: v.string(), kid: v.string() })),
    v.minLength(1),
  ),
})
// Only the masked fields the element may see are kept: the vault's token object holds more.
const MaskedCardIn = v.object({
  brand: v.string(),
  last4: v.string(),
  exp_month: v.number(),
  exp_year: v.number(),
})
const TokenObject = v.object({ token: v.string(), status: v.optional(v.string()), card: MaskedCardIn })
const TokenList = v.object({ data: v.array(TokenObject) })
const VaultErrorBody = v.object({
  error: v.object({ type: errorTypeSchema, code: errorCodeSchema, message: v.string(), param: v.optional(v.string()) }),
})

const mask = (t: v.InferOutput<typeof TokenObject>): SavedCard => ({
  token: t.token,
  card: { brand: t.card.brand, last4: t.card.last4, exp_month: t.card.exp_month, exp_year: t.card.exp_year },
})

export class VaultClient {
  private activeKey: Promise<EncryptionKey> | null = null

  constructor(
    private readonly publishableKey: string,
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** The vault's active encryption key, cached for the page's life unless `refresh`. */
  encryptionKey(refresh = false): Promise<EncryptionKey> {
    if (refresh || !this.activeKey) {
      this.activeKey = this.call('/v1/jwks', {}, Jwks).then((jwks) => jwks.keys[0] as EncryptionKey)
      // A failed fetch is not cached: the next tokenize tries again.
      this.activeKey.catch(() => (this.activeKey = null))
    }
    return this.activeKey
  }

  async createToken(jwe: string, customerSession: string | null): Promise<SavedCard> {
    const token = await this.call('/v1/tokens', { method: 'POST', body: JSON.stringify({ card: jwe }), headers: this.auth(customerSession) }, TokenObject)
    return mask(token)
  }

  async savedCards(customerSession: string): Promise<SavedCard[]> {
    const list = await this.call('/v1/customer-sessions/tokens', { headers: this.auth(customerSession) }, TokenList)
    return list.data.filter((t) => (t.status ?? 'active') === 'active').map(mask)
  }

  private auth(customerSession: string | null): Record<string, string> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.publishableKey}`, 'content-type': 'application/json' }
    if (customerSession !== null) headers['tessera-customer-session'] = customerSession
    return headers
  }

  private async call<S extends v.GenericSchema>(path: string, init: RequestInit, schema: S): Promise<v.InferOutput<S>> {
    let response: Response
    let body: unknown
    try {
      response = await this.fetchFn(path, { ...init, credentials: 'omit', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
      body = await response.json()
    } catch {
      throw new VaultError({ type: 'api_error', code: 'network_error', message: 'The card vault could not be reached.' })
    }
    if (!response.ok) {
      const parsed = v.safeParse(VaultErrorBody, body)
      throw new VaultError(parsed.success ? parsed.output.error : { type: 'api_error', code: 'unknown_error', message: `The card vault answered ${response.status}.` })
    }
    const parsed = v.safeParse(schema, body)
    if (!parsed.success) throw new VaultError({ type: 'api_error', code: 'unknown_error', message: 'The card vault gave an unexpected answer.' })
    return parsed.output
  }
}
