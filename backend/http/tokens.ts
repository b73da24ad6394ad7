// Token routes: tokenize, read, update, revoke, delete, extend, search.
import { Hono } from 'hono'
import * as v from 'valibot'
import { InvalidRequestError, tokenNotFound } from '../errors.js'
import { VERIFICATIONS } from '../projects/project.js'
import type { TokenRefresher } from '../payments/token-refresh.js'
import type { TokenVerifier } from '../payments/token-verification.js'
import type { Actor } from '../tokens/changes.js'
import type { TokenLifecycle } from '../tokens/lifecycle.js'
import { parseLimit } from '../tokens/pages.js'
import type { CustomerSessions } from '../tokens/customer-sessions.js'
import { presentDeleted, presentToken, presentTokenizedForBrowser } from '../tokens/present.js'
import type { TokenSearch } from '../tokens/search.js'
import type { Tokenizer } from '../tokens/tokenize.js'
import { requestSession } from './customers.js'
import { jsonAnswer } from './answer.js'
import type { AppEnv } from './env.js'
import { currency, requestMeta } from './payments.js'
import { identifier, isoDateTime, jweString, parseInput } from './validation.js'
import type { Context, MiddlewareHandler } from 'hono'

export interface TokenRouteDeps {
  tokenizer: Tokenizer
  /** A publishable key's customer session: who the browser tokenizes for. */
  sessions: CustomerSessions
  lifecycle: TokenLifecycle
  search: TokenSearch
  anyKey: MiddlewareHandler<AppEnv>
  secretKey: MiddlewareHandler<AppEnv>
  /** Runs after authentication on POST /v1/tokens. */
  tokenizeLimit: MiddlewareHandler<AppEnv>
  /** POST /v1/tokens/:token/verify: a zero-amount authorization at the acquirer. */
  verifier: TokenVerifier
  /** POST /v1/tokens/:token/refresh: the acquirer's account updater, asked about one token now. */
  refresher: TokenRefresher
}

export const tokenizeBody = v.strictObject({
  card: jweString,
  customer_id: v.optional(identifier),
  verification: v.optional(v.picklist(VERIFICATIONS)),
  token: v.optional(v.pipe(v.string(), v.maxLength(256))),
})

const expMonth = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(12))
const expYear = v.pipe(v.number(), v.integer(), v.minValue(1000), v.maxValue(9999))

export const updateBody = v.pipe(
  v.strictObject({
    exp_month: v.optional(expMonth),
    exp_year: v.optional(expYear),
    name: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(64), v.regex(/^[^\u0000-\u001f\u007f]*$/)))),
    card: v.optional(jweString),
  }),
  v.check((b) => (b.exp_month === undefined) === (b.exp_year === undefined), 'exp_month and exp_year together'),
  v.check((b) => b.card === undefined || (b.exp_month === undefined && b.name === undefined), 'either card or exp_month/exp_year/name'),
  v.check((b) => Object.keys(b).length > 0, 'at least one field to change'),
)

export const extendBody = v.strictObject({ months: v.pipe(v.number(), v.integer()) })

const STATUSES = ['active', 'revoked', 'expired', 'invalid'] as const

export const searchBody = v.strictObject({
  card: v.optional(jweString),
  token: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.:-]{1,128}$/))),
  customer_id: v.optional(identifier),
  status: v.optional(v.picklist(STATUSES)),
  updated_since: v.optional(isoDateTime),
  limit: v.optional(v.unknown()),
  cursor: v.optional(v.unknown()),
})

/** Seed 004: a verification may name the currency the acquirer checks the card for. */
const verifyBody = v.strictObject({ currency: v.optional(currency) })

/** In a JSON body a limit is a number; digit strings are for query strings only. */
const bodyLimit = (limit: unknown) => (typeof limit === 'string' ? parseLimit(Number.NaN) : parseLimit(limit))

/** Token values in paths: anything else cannot be a token, so it is simply not found. */
export function tokenParam(c: Context<AppEnv>): string {
  const token = c.req.param('token') ?? ''
  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(token)) throw tokenNotFound()
  return token
}

export function keyActor(c: Context<AppEnv>): Actor {
  return { kind: 'key', keyId: c.get('principal').keyId, requestId: c.get('requestId') }
}

export function tokenRoutes(deps: TokenRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/', deps.anyKey, deps.tokenizeLimit, async (c) => {
    const body = parseInput(tokenizeBody, c.get('body'))
    const principal = c.get('principal')
    const browser = principal.kind === 'publishable'
    // Only a browser's session counts: a server names the customer and token in the body.
    const session = browser ? await requestSession(c, deps.sessions) : undefined
    const result = await deps.tokenizer.tokenize(principal, { card: body.card, customerId: body.customer_id, verification: body.verification, token: body.token, session }, keyActor(c))
    const answer = browser ? presentTokenizedForBrowser(result.row, result.sent) : presentToken(result.row)
    return c.json(answer, result.created ? 201 : 200)
  })

  app.post('/search', deps.secretKey, async (c) => {
    const body = parseInput(searchBody, c.get('body'))
    if (body.cursor !== undefined && typeof body.cursor !== 'string') throw new InvalidRequestError('invalid_cursor', 'The cursor is not one this vault issued for this list.', 'cursor')
    const page = await deps.search.search(
      c.get('principal'),
      { card: body.card, token: body.token, customerId: body.customer_id, status: body.status, updatedSince: body.updated_since, limit: bodyLimit(body.limit), cursor: body.cursor as string | undefined },
      presentToken,
    )
    return c.json(page)
  })

  // The hot read: its answer leaves with its headers complete (answer.ts).
  app.get('/:token', deps.secretKey, async (c) => jsonAnswer(c, presentToken(await deps.lifecycle.get(c.get('principal'), tokenParam(c)))))

  app.patch('/:token', deps.secretKey, async (c) => {
    const body = parseInput(updateBody, c.get('body'))
    const row = await deps.lifecycle.update(c.get('principal'), tokenParam(c), { expMonth: body.exp_month, expYear: body.exp_year, name: body.name, card: body.card }, keyActor(c))
    return c.json(presentToken(row))
  })

  app.post('/:token/revoke', deps.secretKey, async (c) => c.json(presentToken(await deps.lifecycle.revoke(c.get('principal'), tokenParam(c), keyActor(c)))))

  app.delete('/:token', deps.secretKey, async (c) => {
    const token = tokenParam(c)
    await deps.lifecycle.delete(c.get('principal'), token, keyActor(c))
    return c.json(presentDeleted(token))
  })

  app.post('/:token/extend', deps.secretKey, async (c) => {
    const body = parseInput(extendBody, c.get('body'))
    return c.json(presentToken(await deps.lifecycle.extend(c.get('principal'), tokenParam(c), body.months, keyActor(c))))
  })

  app.post('/:token/verify', deps.secretKey, async (c) => {
    const body = parseInput(verifyBody, c.get('body'))
    return c.json(presentToken(await deps.verifier.verify(c.get('principal'), tokenParam(c), requestMeta(c), body.currency)))
  })

  app.post('/:token/refresh', deps.secretKey, async (c) => {
    parseInput(v.strictObject({}), c.get('body'))
    return c.json(presentToken(await deps.refresher.refresh(c.get('principal'), tokenParam(c), keyActor(c))))
  })

  return app
}
