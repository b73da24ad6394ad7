// Customer sessions: what the merchant's server lets a browser do for one of its customers.
// The server binds a customer (whose saved cards the element lists and for whom new cards are
// saved) and/or a merchant-format token value; the browser only ever holds the client secret,
// and the vault takes both from the session, never from the browser's request body.
import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.js'
import { AuthenticationError, InvalidRequestError } from '../errors.js'
import type { Principal } from '../projects/project.js'
import { findCustomerSession, insertCustomerSession } from '../store/customer-sessions.js'
import type { Database } from '../store/schema.js'
import { tokenFormats } from './formats/index.js'
import { checkMerchantToken } from './formats/merchant.js'

export const CUSTOMER_SESSION_DEFAULTS = { ttlSeconds: 30 * 60 } as const

export interface CustomerSession {
  object: 'customer_session'
  client_secret: string
  customer_id: string | null
  expires_at: string
}

/** What a session secret opens: the customer and/or the merchant token value it was made for. */
export interface BoundSession {
  customerId: string | undefined
  token: string | undefined
}

export interface SessionBinding {
  customerId?: string | undefined
  token?: string | undefined
}

const SECRET_SHAPE = /^cs_(test|live)_[A-Za-z0-9_-]{43}$/

const hashSecret = (secret: string) => crypto.createHash('sha256').update(secret).digest('hex')

const invalidSession = (message = 'The customer session is unknown; create one on your server with POST /v1/customer-sessions.') =>
  new AuthenticationError('invalid_customer_session', message)

export class CustomerSessions {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly ttlSeconds: number = CUSTOMER_SESSION_DEFAULTS.ttlSeconds,
  ) {}

  /** A secret key's session for the browser: 32 random bytes, stored only as their hash. */
  async create(principal: Principal, binding: SessionBinding): Promise<CustomerSession> {
    if (binding.customerId === undefined && binding.token === undefined) {
      throw new InvalidRequestError('parameter_missing', 'Bind a customer_id, a token or both into the session.', 'customer_id')
    }
    if (binding.token !== undefined) {
      if (!tokenFormats[principal.project.tokenFormat].supplied) {
        throw new InvalidRequestError('token_not_supported', "This project's token format makes its own token values; only a merchant-format project takes `token`.", 'token')
      }
      checkMerchantToken(binding.token)
    }
    const now = this.clock.now()
    const expiresAt = new Date(now.getTime() + this.ttlSeconds * 1000).toISOString()
    const secret = `cs_${principal.mode}_${crypto.randomBytes(32).toString('base64url')}`
    await insertCustomerSession(this.db, {
      secret_hash: hashSecret(secret),
      project_id: principal.project.id,
      mode: principal.mode,
      customer_id: binding.customerId ?? null,
      token: binding.token ?? null,
      key_id: principal.keyId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    })
    return { object: 'customer_session', client_secret: secret, customer_id: binding.customerId ?? null, expires_at: expiresAt }
  }

  /**
   * What a session secret binds, for a key of the session's own project and mode. Unknown,
   * foreign (another project or mode: answered as unknown) and expired sessions are a 401.
   */
  async resolve(principal: Principal, secret: string): Promise<BoundSession> {
    if (!SECRET_SHAPE.test(secret)) throw invalidSession()
    const row = await findCustomerSession(this.db, hashSecret(secret))
    if (!row || row.project_id !== principal.project.id || row.mode !== principal.mode) throw invalidSession()
    if (row.expires_at <= this.clock.now().toISOString()) {
      throw invalidSession('The customer session has expired; create a new one on your server and set it on the card field.')
    }
    return { customerId: row.customer_id ?? undefined, token: row.token ?? undefined }
  }
}
