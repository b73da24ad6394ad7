// The sandbox's 3-D Secure 2 server: authentications decided by card (frictionless success or
// failure, challenge, unavailable), the challenge page with Complete and Fail buttons, and the
// signed notification that carries a challenge's result to the vault, server to server.
import { createHash, createHmac, randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import type { Clock } from '../../common/clock.js'
import type { Logger } from '../../common/logger.js'
import { invalidRequest, notFound } from './errors.js'
import { newId, summarize, type CardSummary } from './ledger.js'
import { challengePage, finishedPage } from './challenge-page.js'
import { behaviourOf } from './test-cards.js'

export const THREE_D_SECURE_VERSION = '2.2.0'

/** The header that carries the notification's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export const NOTIFICATION_SIGNATURE_HEADER = 'Tessera-Acquirer-Signature'

export type AuthenticationStatus = 'challenge_required' | 'authenticated' | 'attempted' | 'failed' | 'unavailable'

export interface AuthenticationRecord {
  object: 'authentication'
  id: string
  status: AuthenticationStatus
  flow: 'frictionless' | 'challenge'
  version: string
  /** Visa's ECI: 05 authenticated, 06 attempted, 07 not authenticated; null until the challenge ends. */
  eci: string | null
  /** The directory server's transaction id (dsTransID). */
  transaction_id: string
  challenge_url: string | null
  amount: number
  currency: string
  card: CardSummary
  created_at: string
}

interface Kept {
  record: AuthenticationRecord
  /** SHA-256 of the number: an authorization must use the card that was authenticated. */
  cardHash: string
  notificationUrl: string
}

export interface AuthenticateInput {
  amount: number
  currency: string
  card: { number: string; exp_month: number; exp_year: number }
  notification_url: string
}

const hashNumber = (number: string) => createHash('sha256').update(number).digest('hex')

/** The card's 3-D Secure answer; any card not in the table authenticates frictionlessly. */
function decideAuthentication(number: string): Pick<AuthenticationRecord, 'status' | 'flow' | 'eci'> {
  switch (behaviourOf(number)) {
    case 'three_d_secure_challenge':
      return { status: 'challenge_required', flow: 'challenge', eci: null }
    case 'three_d_secure_failed':
      return { status: 'failed', flow: 'frictionless', eci: '07' }
    case 'three_d_secure_unavailable':
      return { status: 'unavailable', flow: 'frictionless', eci: '07' }
    default:
      return { status: 'authenticated', flow: 'frictionless', eci: '05' }
  }
}

/** Cards whose issuer insists on 3-D Secure for a cardholder-initiated authorization (a soft decline without it). */
export function requiresAuthentication(number: string): boolean {
  const behaviour = behaviourOf(number)
  return behaviour === 'three_d_secure_challenge' || behaviour === 'three_d_secure_frictionless' || behaviour === 'three_d_secure_failed'
}

/** `t=<unix>,v1=<hmac>` over `<t>.<body>` with the API key both sides share. */
export function signNotification(apiKey: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000)
  return `t=${t},v1=${createHmac('sha256', apiKey).update(`${t}.${body}`).digest('hex')}`
}

export interface ThreeDSecureOptions {
  apiKey: string
  clock: Clock
  logger: Logger
}

export class ThreeDSecureServer {
  readonly #kept = new Map<string, Kept>()
  constructor(private readonly options: ThreeDSecureOptions) {}

  /** `baseUrl`: the sandbox's own origin as the caller reached it, where the challenge page is served. */
  authenticate(input: AuthenticateInput, baseUrl: string): AuthenticationRecord {
    const id = newId('3ds')
    const decided = decideAuthentication(input.card.number)
    const record: AuthenticationRecord = {
      object: 'authentication',
      id,
      ...decided,
      version: THREE_D_SECURE_VERSION,
      transaction_id: randomUUID(),
      challenge_url: decided.status === 'challenge_required' ? `${baseUrl}/challenge/${id}` : null,
      amount: input.amount,
      currency: input.currency,
      card: summarize(input.card),
      created_at: this.options.clock.now().toISOString(),
    }
    this.#kept.set(id, { record, cardHash: hashNumber(input.card.number), notificationUrl: input.notification_url })
    return record
  }

  get(id: string): AuthenticationRecord {
    return this.#find(id).record
  }

  /** Refuses an authorization that names an authentication of another card or amount, or one that did not pass. */
  checkForAuthorization(id: string, card: { number: string }, amount: number, currency: string): void {
    const kept = this.#kept.get(id)
    const bad = (message: string) => invalidRequest('authentication_invalid', message, 'three_d_secure.authentication_id')
    if (!kept) throw bad('No such authentication.')
    if (kept.cardHash !== hashNumber(card.number) || kept.record.amount !== amount || kept.record.currency !== currency) throw bad('The authentication was for another card or amount.')
    if (!['authenticated', 'attempted', 'unavailable'].includes(kept.record.status)) throw bad(`An authentication that is ${kept.record.status} cannot authorize.`)
  }

  /** The cardholder pressed Complete or Fail: record it, then tell the vault, signed. */
  async finishChallenge(id: string, outcome: 'complete' | 'fail'): Promise<{ record: AuthenticationRecord; notified: boolean }> {
    const kept = this.#find(id)
    if (kept.record.status === 'challenge_required') {
      kept.record.status = outcome === 'complete' ? 'authenticated' : 'failed'
      kept.record.eci = outcome === 'complete' ? '05' : '07'
    }
    return { record: kept.record, notified: await this.#notify(kept) }
  }

  async #notify(kept: Kept): Promise<boolean> {
    const body = JSON.stringify({ type: 'authentication.completed', authentication: kept.record })
    try {
      const response = await fetch(kept.notificationUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [NOTIFICATION_SIGNATURE_HEADER]: signNotification(this.options.apiKey, body, this.options.clock.now()) },
        body,
        signal: AbortSignal.timeout(10_000),
      })
      this.options.logger.info({ authentication: kept.record.id, status: response.status }, 'authentication notified')
      return response.ok
    } catch (error) {
      this.options.logger.warn({ authentication: kept.record.id, err: error }, 'authentication notification failed')
      return false
    }
  }

  #find(id: string): Kept {
    const kept = this.#kept.get(id)
    if (!kept) throw notFound('No such authentication.', 'id')
    return kept
  }
}

/** The cardholder's pages: no API key (a browser opens them), framed by the vault's page. */
export function challengeRoutes(server: ThreeDSecureServer): Hono {
  const app = new Hono()
  const page = (html: { body: string; csp: string }, status: 200 | 404 = 200) =>
    new Response(html.body, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': html.csp, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } })
  app.get('/challenge/:id', (c) => {
    const record = server.get(c.req.param('id'))
    return page(record.status === 'challenge_required' ? challengePage(record) : finishedPage(record, true))
  })
  app.post('/challenge/:id', async (c) => {
    const form = await c.req.parseBody()
    const outcome = form.outcome
    if (outcome !== 'complete' && outcome !== 'fail') throw invalidRequest('parameter_invalid', 'outcome is complete or fail.', 'outcome')
    const { record, notified } = await server.finishChallenge(c.req.param('id'), outcome)
    return page(finishedPage(record, notified))
  })
  return app
}
