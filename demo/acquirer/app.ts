// The sandbox acquirer's HTTP API (a Hono app): a Bearer key, JSON bodies, Idempotency-Key,
// and the routes of docs/acquirer.md. Outcomes come from behaviours.ts, state from ledger.ts.
import { createHash, timingSafeEqual } from 'node:crypto'
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import * as v from 'valibot'
import { systemClock, type Clock } from '../../common/clock.js'
import type { Logger } from '../../common/logger.js'
import { DEFAULT_ACQUIRER_KEY } from '../../common/sandbox-acquirer.js'
import { AccountUpdatePublisher } from './account-updates.js'
import { decide, payoutFailure, type Attempt, type DeclineCode, type Outcome, type PayoutFailureCode } from './behaviours.js'
import { AcquirerError, invalidRequest, unauthenticated, type AcquirerErrorBody } from './errors.js'
import { idempotency } from './idempotency.js'
import { Ledger, newId, summarize } from './ledger.js'
import { AccountUpdatesQuery, AmountBody, AuthenticateBody, AuthorizeBody, InquiryBody, PayoutBody, VerifyBody, parse } from './schemas.js'
import { challengeRoutes, requiresAuthentication, ThreeDSecureServer } from './three-d-secure.js'

export const ACQUIRER_APP_DEFAULTS = {
  apiKey: DEFAULT_ACQUIRER_KEY,
  /** How long a `hang` holds its request: well past the vault client's 5 s timeout. */
  hangMs: 30_000,
  maxBodyBytes: 16 * 1024,
} as const

export interface AcquirerAppOptions {
  apiKey?: string
  clock?: Clock
  logger: Logger
  hangMs?: number
}

export interface AcquirerApp {
  app: Hono<Env>
  ledger: Ledger
  threeDSecure: ThreeDSecureServer
  /** Ends every held (`hang`) request at once: used when the server closes. */
  releaseHangs(): void
}

type Env = { Variables: { outcome: string } }

/** A decline names the attempt it recorded, so the caller can keep the acquirer's reference. */
class Declined extends AcquirerError {
  constructor(
    readonly declineCode: DeclineCode,
    readonly reference: string,
  ) {
    super(402, 'card_error', 'card_declined', 'The card was declined.')
  }
  override toBody(): AcquirerErrorBody & { reference: string } {
    return { ...super.toBody(), decline_code: this.declineCode, reference: this.reference }
  }
}

/** A payout the acquirer refused for good (422): recorded as `failed`, and named like a decline. */
class PayoutFailed extends AcquirerError {
  constructor(
    code: PayoutFailureCode,
    readonly reference: string,
  ) {
    super(422, 'invalid_request_error', code, 'This card cannot receive payouts; nothing was paid out.', 'card.number')
  }
  override toBody(): AcquirerErrorBody & { reference: string } {
    return { ...super.toBody(), reference: this.reference }
  }
}

type WireCard = { number: string; exp_month: number; exp_year: number; cvc?: string | undefined }

const attemptOf = (card: WireCard, amount: number): Attempt => ({ number: card.number, expMonth: card.exp_month, expYear: card.exp_year, cvc: card.cvc, amount })

const digest = (s: string) => createHash('sha256').update(s).digest()

function bearerAuth(apiKey: string): MiddlewareHandler<Env> {
  const expected = digest(apiKey)
  return async (c, next) => {
    const given = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1]
    if (given === undefined || !timingSafeEqual(digest(given), expected)) throw unauthenticated()
    return next()
  }
}

function requestLog(logger: Logger): MiddlewareHandler<Env> {
  return async (c, next) => {
    const started = performance.now()
    await next()
    // Method, path, status and outcome only: bodies hold card numbers and CVCs.
    logger.info(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(performance.now() - started), outcome: c.get('outcome'), idempotency_key: c.req.header('idempotency-key') },
      'acquirer request',
    )
  }
}

async function readJson(c: Context<Env>, maxBytes: number): Promise<unknown> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/json\b/i.test(type)) throw invalidRequest('unsupported_media_type', 'Send the body as application/json.', undefined, 415)
  const text = await c.req.text()
  if (Buffer.byteLength(text) > maxBytes) throw invalidRequest('body_too_large', `A request body is at most ${maxBytes} bytes.`, undefined, 413)
  try {
    return text.trim() === '' ? {} : JSON.parse(text)
  } catch {
    throw invalidRequest('invalid_json', 'The body is not valid JSON.')
  }
}

export function createAcquirerApp(options: AcquirerAppOptions): AcquirerApp {
  const apiKey = options.apiKey ?? ACQUIRER_APP_DEFAULTS.apiKey
  const clock = options.clock ?? systemClock
  const hangMs = options.hangMs ?? ACQUIRER_APP_DEFAULTS.hangMs
  const logger = options.logger
  const ledger = new Ledger()
  const updates = new AccountUpdatePublisher()
  const hangs = new Set<() => void>()
  const threeDSecure = new ThreeDSecureServer({ apiKey, clock, logger })
  const body = (c: Context<Env>) => readJson(c, ACQUIRER_APP_DEFAULTS.maxBodyBytes)
  const now = () => clock.now()

  /** Holds the request until hangMs pass, the caller goes away or the server closes. */
  const hang = (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        hangs.delete(done)
        signal.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, hangMs)
      hangs.add(done)
      signal.addEventListener('abort', done)
    })

  /** Decides an attempt; faults and hangs end the request here and record nothing. */
  async function settle(c: Context<Env>, attempt: Attempt): Promise<Exclude<Outcome, { kind: 'hang' | 'processing_error' }>> {
    const outcome = decide(attempt, now())
    c.set('outcome', outcome.kind === 'decline' ? `declined:${outcome.declineCode}` : outcome.kind)
    if (outcome.kind === 'processing_error') throw new AcquirerError(500, 'api_error', 'processing_error', 'The acquirer could not process the request; nothing was recorded.')
    if (outcome.kind === 'hang') {
      await hang(c.req.raw.signal)
      throw new AcquirerError(504, 'api_error', 'issuer_timeout', 'The issuer did not answer.')
    }
    updates.observe({ number: attempt.number, exp_month: attempt.expMonth, exp_year: attempt.expYear }, now())
    return outcome
  }

  const app = new Hono<Env>()
  app.onError((error, c) => {
    if (error instanceof AcquirerError) return c.json({ error: error.toBody() }, error.status as 400)
    logger.error({ path: c.req.path, err: error }, 'acquirer error')
    return c.json({ error: { type: 'api_error', code: 'internal_error', message: 'Something went wrong in the sandbox acquirer.' } }, 500)
  })
  app.notFound(() => {
    throw new AcquirerError(404, 'invalid_request_error', 'route_missing', 'No such route.')
  })
  app.get('/health', (c) => c.json({ status: 'ok' }))
  app.route('/', challengeRoutes(threeDSecure))
  app.use('/v1/*', requestLog(logger), bearerAuth(apiKey), idempotency(clock))

  app.post('/v1/authorizations', async (c) => {
    const input = parse(AuthorizeBody, await body(c))
    if (input.initiator === 'merchant' && input.card.cvc !== undefined) {
      throw invalidRequest('cvc_not_allowed', 'A merchant-initiated authorization carries no CVC.', 'card.cvc')
    }
    const card = input.card
    // A merchant-initiated stored-credential payment must name the first payment's network transaction id.
    const unlinked = input.initiator === 'merchant' && input.recurring !== undefined && input.recurring.network_transaction_id === undefined
    if (input.three_d_secure) threeDSecure.checkForAuthorization(input.three_d_secure.authentication_id, card, input.amount, input.currency)
    // The issuer's soft decline: a cardholder-initiated payment on these cards needs 3-D Secure.
    const unauthenticated = input.initiator === 'customer' && !input.three_d_secure && requiresAuthentication(card.number)
    const refusal: DeclineCode | undefined = unlinked ? 'missing_network_transaction_id' : unauthenticated ? 'authentication_required' : undefined
    const outcome: Awaited<ReturnType<typeof settle>> = refusal ? { kind: 'decline', declineCode: refusal } : await settle(c, attemptOf(card, input.amount))
    if (refusal) c.set('outcome', `declined:${refusal}`)
    const approved = outcome.kind === 'approve'
    const networkTransactionId = input.recurring === undefined ? null : input.initiator === 'customer' ? (approved ? newId('ntid') : null) : (input.recurring.network_transaction_id ?? null)
    const record = ledger.addAuthorization({
      object: 'authorization',
      id: newId('auth'),
      status: approved ? (input.capture ? 'captured' : 'authorized') : 'declined',
      amount: input.amount,
      amount_captured: approved && input.capture ? input.amount : 0,
      amount_refunded: 0,
      currency: input.currency,
      initiator: input.initiator,
      cvc_check: approved ? outcome.cvcCheck : null,
      decline_code: approved ? null : outcome.declineCode,
      recurring_type: input.recurring?.type ?? null,
      network_transaction_id: networkTransactionId,
      card: summarize(card),
      created_at: now().toISOString(),
    })
    if (outcome.kind === 'decline') throw new Declined(outcome.declineCode, record.id)
    return c.json(record, 201)
  })

  app.get('/v1/authorizations/:id', (c) => c.json(ledger.authorization(c.req.param('id'))))

  app.get('/v1/verifications', (c) => c.json({ object: 'list', data: ledger.verifications() }))

  app.post('/v1/authorizations/:id/capture', async (c) => {
    const input = parse(AmountBody, await body(c))
    return c.json(ledger.capture(c.req.param('id'), input.amount))
  })

  app.post('/v1/authorizations/:id/refund', async (c) => {
    const input = parse(AmountBody, await body(c))
    return c.json(ledger.refund(c.req.param('id'), input.amount))
  })

  app.post('/v1/authorizations/:id/void', async (c) => {
    parse(v.strictObject({}), await body(c))
    return c.json(ledger.void(c.req.param('id')))
  })

  app.post('/v1/payouts', async (c) => {
    const input = parse(PayoutBody, await body(c))
    const card = input.card
    const failure = payoutFailure(card.number)
    const outcome = failure ? undefined : await settle(c, attemptOf(card, input.amount))
    if (failure) c.set('outcome', `failed:${failure}`)
    const record = ledger.addPayout({
      object: 'payout',
      id: newId('po'),
      status: failure ? 'failed' : outcome?.kind === 'approve' ? 'paid' : 'declined',
      amount: input.amount,
      currency: input.currency,
      decline_code: outcome?.kind === 'decline' ? outcome.declineCode : null,
      failure_code: failure ?? null,
      card: summarize(card),
      created_at: now().toISOString(),
    })
    if (failure) throw new PayoutFailed(failure, record.id)
    if (outcome?.kind === 'decline') throw new Declined(outcome.declineCode, record.id)
    return c.json(record, 201)
  })

  app.post('/v1/verifications', async (c) => {
    const input = parse(VerifyBody, await body(c))
    const card = input.card
    const outcome = await settle(c, attemptOf(card, 0))
    const record = ledger.addVerification({
      object: 'verification',
      id: newId('ver'),
      status: outcome.kind === 'approve' ? 'approved' : 'declined',
      currency: input.currency ?? null,
      cvc_check: outcome.kind === 'approve' ? outcome.cvcCheck : null,
      decline_code: outcome.kind === 'decline' ? outcome.declineCode : null,
      card: summarize(card),
      created_at: now().toISOString(),
    })
    if (outcome.kind === 'decline') throw new Declined(outcome.declineCode, record.id)
    return c.json(record, 201)
  })

  app.post('/v1/account_updates/inquiries', async (c) => {
    const card = parse(InquiryBody, await body(c)).card
    return c.json({ object: 'account_update_inquiry', update: updates.inquire(card, now()) })
  })

  app.post('/v1/authentications', async (c) => {
    const input = parse(AuthenticateBody, await body(c))
    const record = threeDSecure.authenticate(input, new URL(c.req.url).origin)
    c.set('outcome', `3ds:${record.status}`)
    return c.json(record, 201)
  })

  app.get('/v1/authentications/:id', (c) => c.json(threeDSecure.get(c.req.param('id'))))

  app.get('/v1/account_updates', (c) => {
    const query = parse(AccountUpdatesQuery, { since: c.req.query('since') })
    return c.json({ object: 'list', data: updates.since(new Date(query.since)), as_of: now().toISOString() })
  })

  return {
    app,
    ledger,
    threeDSecure,
    releaseHangs: () => {
      for (const done of [...hangs]) done()
    },
  }
}
