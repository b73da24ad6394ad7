// Finding tokens: search by card (a JWE of the number), customer, status, update time;
// a customer's saved cards; and the short-lived customer sessions the element lists them with.
import crypto from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Clock } from '../clock.js'
import { fingerprint } from '../crypto/fingerprint.js'
import { AuthenticationError } from '../errors.js'
import type { Principal } from '../projects/project.js'
import type { ProjectService } from '../projects/service.js'
import type { Database, TokenRow, TokenStatus } from '../store/schema.js'
import { listTokens, type TokenFilter } from '../store/tokens.js'
import type { CardIntake } from './card-intake.js'
import { decodeCursor, encodeCursor, toPage, type Page } from './pages.js'

export interface SearchInput {
  card?: string | undefined
  customerId?: string | undefined
  status?: Exclude<TokenStatus, 'deleted'> | undefined
  updatedSince?: string | undefined
  limit: number
  cursor?: string | undefined
}

export const CUSTOMER_SESSION_DEFAULTS = { ttlSeconds: 30 * 60 } as const

export interface CustomerSession {
  object: 'customer_session'
  client_secret: string
  customer_id: string
  expires_at: string
}

export class TokenSearch {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly projects: ProjectService,
    private readonly intake: CardIntake,
  ) {}

  /** Search by card uses only the number of the JWE; the JWE is opened like any card (fresh, allowed in the mode) but, being a read, not consumed. */
  async search<T>(principal: Principal, input: SearchInput, present: (row: TokenRow) => T): Promise<Page<T>> {
    const keys = await this.projects.keys(principal.project.id)
    const filter: TokenFilter = {
      projectId: principal.project.id,
      mode: principal.mode,
      customerId: input.customerId,
      statuses: input.status ? [input.status] : undefined,
      updatedSince: input.updatedSince,
    }
    if (input.card !== undefined) filter.fingerprint = fingerprint(keys.fingerprintKey, (await this.intake.open(principal, input.card)).number)
    const scope = `${principal.project.id}|${principal.mode}|search`
    const rows = await listTokens(this.db, filter, input.limit, decodeCursor(keys.tokenKey, scope, input.cursor))
    return toPage(rows, input.limit, present, (p) => encodeCursor(keys.tokenKey, scope, p))
  }

  async createCustomerSession(principal: Principal, customerId: string, ttlSeconds: number = CUSTOMER_SESSION_DEFAULTS.ttlSeconds): Promise<CustomerSession> {
    const keys = await this.projects.keys(principal.project.id)
    const expiresAt = new Date(this.clock.now().getTime() + ttlSeconds * 1000)
    const body = Buffer.from(JSON.stringify({ p: principal.project.id, m: principal.mode, c: customerId, e: Math.floor(expiresAt.getTime() / 1000), n: crypto.randomBytes(8).toString('base64url') })).toString('base64url')
    const mac = crypto.createHmac('sha256', keys.tokenKey.expose()).update(`customer-session|${body}`).digest('base64url')
    return { object: 'customer_session', client_secret: `cs_${principal.mode}_${body}.${mac}`, customer_id: customerId, expires_at: expiresAt.toISOString() }
  }

  /** The customer a session secret opens, checked against the publishable key's own project and mode. */
  async customerOfSession(principal: Principal, secret: string): Promise<string> {
    const invalid = () => new AuthenticationError('invalid_customer_session', 'The customer session is invalid or has expired.')
    const m = /^cs_(test|live)_([A-Za-z0-9_-]{1,600})\.([A-Za-z0-9_-]{43})$/.exec(secret)
    if (!m || m[1] !== principal.mode) throw invalid()
    const keys = await this.projects.keys(principal.project.id)
    const expected = crypto.createHmac('sha256', keys.tokenKey.expose()).update(`customer-session|${m[2]}`).digest('base64url')
    if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(m[3] as string))) throw invalid()
    const claims = JSON.parse(Buffer.from(m[2] as string, 'base64url').toString('utf8')) as { p: string; m: string; c: string; e: number }
    if (claims.p !== principal.project.id || claims.m !== principal.mode) throw invalid()
    if (claims.e * 1000 <= this.clock.now().getTime()) throw invalid()
    return claims.c
  }
}
