// The merchant server's client for the vault: every call that needs a secret key goes through
// here, from the server, so the key never reaches a browser. No card data passes through it:
// only tokens, masked cards and payment objects.

export interface MaskedCard {
  brand: string
  bin?: string
  last4: string
  exp_month: number
  exp_year: number
  name?: string | null
}

export interface TokenObject {
  object: 'token'
  token: string
  status: 'active' | 'revoked' | 'expired' | 'invalid'
  mode: 'test' | 'live'
  customer_id: string | null
  card: MaskedCard
  fingerprint?: string
  verification?: { strategy: string; result: string }
  created_at: string
  updated_at: string
  last_used_at: string | null
  expires_at?: string
  retain_until?: string
  deleted?: boolean
}

export interface PaymentObject {
  object: 'payment' | 'payout'
  id: string
  status: string
  amount: number
  amount_captured: number
  amount_refunded: number
  currency: string
  token: string | null
  initiator: 'customer' | 'merchant'
  decline_code?: string
  acquirer_reference: string | null
  created_at: string
  /** 3-D Secure: for the page's card field, handleNextAction(next_action). */
  next_action?: { type: 'three_d_secure'; url: string; client_secret: string }
  three_d_secure?: { version: string; flow: string; result: string; eci: string | null }
}

/** The vault's hosted payment page, as GET /v1/payment-pages/:id answers it. */
export interface PaymentPageObject {
  object: 'payment_page'
  id: string
  url: string
  status: 'open' | 'completed' | 'failed' | 'expired'
  expires_at: string
  customer_id: string | null
  amount: number | null
  currency: string | null
  token?: string
  payment?: PaymentObject
}

export interface PaymentPageRequest {
  mode: 'purchase'
  amount: number
  currency: string
  customer_id: string
  save_card: boolean
  locale: string
  return_url: string
  cancel_url: string
}

export interface ListPage<T> {
  object: 'list'
  data: T[]
  has_more: boolean
  next_cursor: string | null
}

/** The vault's error answer, kept whole: the shop shows the code and, for a decline, the reason. */
export class VaultError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly declineCode?: string,
    readonly paymentId?: string,
  ) {
    super(message)
    this.name = 'VaultError'
  }
}

export const VAULT_CLIENT_DEFAULTS = {
  /** Longer than the vault's own acquirer timeout (5 s), so a hang comes back as the vault's 504. */
  timeoutMs: 15_000,
  /** The loader's SRI hash is fetched again after this long (the vault caches the loader 5 minutes). */
  integrityTtlMs: 10_000,
} as const

export interface VaultClientOptions {
  timeoutMs?: number
  integrityTtlMs?: number
}

interface CallOptions {
  body?: unknown
  idempotencyKey?: string
}

export class VaultClient {
  readonly url: string
  readonly #timeoutMs: number
  readonly #integrityTtlMs: number
  #integrity: { value: string; at: number } | null = null

  constructor(url: string, options: VaultClientOptions = {}) {
    this.url = url.replace(/\/$/, '')
    this.#timeoutMs = options.timeoutMs ?? VAULT_CLIENT_DEFAULTS.timeoutMs
    this.#integrityTtlMs = options.integrityTtlMs ?? VAULT_CLIENT_DEFAULTS.integrityTtlMs
  }

  get origin(): string {
    return new URL(this.url).origin
  }

  get loaderUrl(): string {
    return `${this.url}/v1/tessera.js`
  }

  get webhookKeysUrl(): string {
    return `${this.url}/v1/webhook-keys`
  }

  /** The loader's `sha384-…` hash as the vault publishes it, for the script tag's `integrity`. */
  async loaderIntegrity(): Promise<string> {
    const now = Date.now()
    if (this.#integrity && now - this.#integrity.at < this.#integrityTtlMs) return this.#integrity.value
    const res = await fetch(`${this.url}/v1/tessera.js.sri`, { signal: AbortSignal.timeout(this.#timeoutMs) })
    const value = (await res.text()).trim()
    if (!res.ok || !value.startsWith('sha384-')) throw new VaultError(res.status, 'api_error', 'loader_unavailable', 'The vault did not publish its loader hash.')
    this.#integrity = { value, at: now }
    return value
  }

  token(secretKey: string, token: string): Promise<TokenObject> {
    return this.call(secretKey, 'GET', `/v1/tokens/${encodeURIComponent(token)}`)
  }

  revoke(secretKey: string, token: string): Promise<TokenObject> {
    return this.call(secretKey, 'POST', `/v1/tokens/${encodeURIComponent(token)}/revoke`, { body: {} })
  }

  deleteToken(secretKey: string, token: string): Promise<{ token: string; deleted: true }> {
    return this.call(secretKey, 'DELETE', `/v1/tokens/${encodeURIComponent(token)}`)
  }

  customerTokens(secretKey: string, customerId: string): Promise<ListPage<TokenObject>> {
    return this.call(secretKey, 'GET', `/v1/customers/${encodeURIComponent(customerId)}/tokens?limit=100`)
  }

  customerSession(secretKey: string, customerId: string): Promise<{ client_secret: string; expires_at: string }> {
    return this.call(secretKey, 'POST', '/v1/customer-sessions', { body: { customer_id: customerId } })
  }

  pay(secretKey: string, body: { token: string; amount: number; currency: string; initiator: 'customer' | 'merchant' }, idempotencyKey: string): Promise<PaymentObject> {
    return this.call(secretKey, 'POST', '/v1/payments', { body, idempotencyKey })
  }

  createPaymentPage(secretKey: string, body: PaymentPageRequest, idempotencyKey: string): Promise<PaymentPageObject> {
    return this.call(secretKey, 'POST', '/v1/payment-pages', { body, idempotencyKey })
  }

  paymentPage(secretKey: string, id: string): Promise<PaymentPageObject> {
    return this.call(secretKey, 'GET', `/v1/payment-pages/${encodeURIComponent(id)}`)
  }

  payment(secretKey: string, id: string): Promise<PaymentObject> {
    return this.call(secretKey, 'GET', `/v1/payments/${encodeURIComponent(id)}`)
  }

  private async call<T>(secretKey: string, method: string, path: string, options: CallOptions = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${secretKey}` }
    if (options.body !== undefined) headers['content-type'] = 'application/json'
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey
    let res: Response
    try {
      res = await fetch(this.url + path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      })
    } catch {
      throw new VaultError(503, 'api_error', 'vault_unreachable', 'The vault could not be reached.')
    }
    const body = (await res.json().catch(() => null)) as any
    if (res.ok) return body as T
    const error = body?.error ?? {}
    throw new VaultError(res.status, String(error.type ?? 'api_error'), String(error.code ?? 'unknown'), String(error.message ?? `HTTP ${res.status}`), error.decline_code, error.payment)
  }
}
