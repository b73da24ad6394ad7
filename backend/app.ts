// createApp(deps): the middleware and the route table of DESIGN.md, nothing else.
import { Hono, type Context, type MiddlewareHandler, type Next } from 'hono'
import type { Kysely } from 'kysely'
import type { Clock } from './clock.js'
import type { JweKeyRing } from './crypto/jwe-keys.js'
import { MethodNotAllowedError, NotFoundError } from './errors.js'
import type { AuditLog } from './audit/log.js'
import { auditRoutes } from './http/audit.js'
import { customerRoutes } from './http/customers.js'
import { eventRoutes, webhookKeyRoutes } from './http/events.js'
import type { EventLog } from './events/event-log.js'
import type { WebhookKeyRing } from './events/signing-keys.js'
import type { AppEnv } from './http/env.js'
import { errorHandler, errorResponse, type DatabaseFailures } from './http/error-handler.js'
import { healthRoutes, type ReadinessChecks } from './http/health.js'
import { adminAuth } from './http/middleware/admin-auth.js'
import { auth } from './http/middleware/auth.js'
import { idempotency } from './http/middleware/idempotency.js'
import { databaseBuckets, RATE_LIMIT_DEFAULTS, rateLimit, type RateLimits } from './http/middleware/rate-limit.js'
import { jsonBody } from './http/middleware/json-body.js'
import { edge } from './http/middleware/edge.js'
import { paymentPageRoutes } from './http/payment-pages.js'
import { referenceRoutes } from './http/openapi/routes.js'
import { paymentRoutes } from './http/payments.js'
import { payPageRoutes } from './http/pay-page.js'
import { projectRoutes } from './http/projects.js'
import { publicKeyRoutes } from './http/public-keys.js'
import { tokenRoutes } from './http/tokens.js'
import { widgetRoutes } from './http/widget.js'
import type { Logger } from './logger.js'
import type { PaymentList } from './payments/list.js'
import type { TokenRefresher } from './payments/token-refresh.js'
import type { PaymentPages } from './payment-pages/service.js'
import type { AcquirerClient } from './acquirer/client.js'
import type { ChallengeResults } from './payments/challenge-result.js'
import type { PaymentService } from './payments/service.js'
import type { ThreeDSecureFlow } from './payments/three-d-secure.js'
import { challengePageRoutes, NOTIFICATION_PATH, notificationRoutes } from './http/three-d-secure.js'
import type { TokenVerifier } from './payments/token-verification.js'
import type { AdminKeys } from './projects/admin-keys.js'
import type { ProjectService } from './projects/service.js'
import type { Database } from './store/schema.js'
import type { TokenLifecycle } from './tokens/lifecycle.js'
import type { CustomerSessions } from './tokens/customer-sessions.js'
import type { TokenSearch } from './tokens/search.js'
import type { Tokenizer } from './tokens/tokenize.js'

export interface AppDeps {
  db: Kysely<Database>
  clock: Clock
  logger: Logger
  keyRing: JweKeyRing
  projects: ProjectService
  adminKeys: AdminKeys
  tokenizer: Tokenizer
  lifecycle: TokenLifecycle
  search: TokenSearch
  sessions: CustomerSessions
  events: EventLog
  audit: AuditLog
  webhookKeys: WebhookKeyRing
  payments: PaymentService
  paymentList: PaymentList
  threeDSecure: ThreeDSecureFlow
  challengeResults: ChallengeResults
  acquirer: AcquirerClient
  tokenVerifier: TokenVerifier
  tokenRefresher: TokenRefresher
  pages: PaymentPages
  /** The vault's public origin, when it differs from what requests show (behind a proxy). */
  publicOrigin?: string | undefined
  /** Proxies in front of the vault (TESSERA_TRUST_PROXY): whose X-Forwarded-For entries and X-Forwarded-Proto count. */
  trustProxy?: number
  rateLimits?: RateLimits
  /** What /health/ready checks. */
  readiness: ReadinessChecks
  /** Turns a database failure into 503 database_unavailable (store.availability). */
  database?: DatabaseFailures
}

/**
 * Paths the API knows: a known path with another method is a 405, anything else a 404. Told
 * apart once nothing matched, not by catch-all routes: those matched every request to a known
 * path too, and the router collected and ordered them on each one for nothing.
 */
const KNOWN_PATHS = [
  '/v1/jwks',
  '/v1/tessera.js',
  '/v1/tessera.js.sri',
  '/frame/card',
  '/v1/tokens',
  '/v1/tokens/search',
  '/v1/tokens/:token',
  '/v1/tokens/:token/revoke',
  '/v1/tokens/:token/extend',
  '/v1/tokens/:token/verify',
  '/v1/tokens/:token/refresh',
  '/v1/customers/:id/tokens',
  '/v1/customer-sessions',
  '/v1/customer-sessions/tokens',
  '/v1/payments',
  '/v1/payments/:id',
  '/v1/payments/:id/capture',
  '/v1/payments/:id/refund',
  '/v1/payments/:id/cancel',
  '/v1/payouts',
  '/v1/payouts/:id',
  '/v1/events',
  '/v1/events/:id',
  '/v1/events/:id/redeliver',
  '/v1/webhook-keys',
  '/v1/payment-pages',
  '/v1/payment-pages/:id',
  '/v1/payment-pages/:id/attempts',
  '/v1/payment-pages/:id/attempts/current',
  '/pay/:id',
  '/v1/projects',
  '/v1/projects/:id',
  '/v1/projects/:id/keys',
  '/v1/projects/:id/keys/:key_id',
  '/v1/projects/:id/keys/:key_id/roll',
  '/v1/openapi.json',
  '/docs',
  NOTIFICATION_PATH,
  '/three-d-secure/:id',
  '/health/live',
  '/health/ready',
  '/v1/audit-events',
]

const KNOWN = new RegExp(`^(?:${KNOWN_PATHS.map((path) => path.replace(/[.]/g, '\\.').replace(/:[A-Za-z_]+/g, '[^/]+')).join('|')})$`)

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const authenticate = (key: string) => deps.projects.authenticate(key)
  // Authentication, then for a POST the idempotency service: one middleware, so a read passes
  // through one frame, not a composed chain with a step that does nothing for it.
  const remembered = idempotency({ db: deps.db, clock: deps.clock })
  const keyed = (accept: 'secret' | 'any'): MiddlewareHandler<AppEnv> => {
    const authenticated = auth({ authenticate, publicOrigin: deps.publicOrigin, accept })
    const rememberedThen = (c: Context<AppEnv>, next: Next) => async () => {
      // A replayed answer is returned, not set: put it on the context as hono's compose would.
      const replayed = await remembered(c, next)
      if (replayed instanceof Response) c.res = replayed
    }
    return (c, next) => authenticated(c, c.req.method === 'POST' ? rememberedThen(c, next) : next)
  }
  const anyKey = keyed('any')
  const secretKey = keyed('secret')

  app.use(edge({ logger: deps.logger, trustProxy: (deps.trustProxy ?? 0) > 0 }))
  // Only these methods carry a body the API reads; a read passes no body step.
  app.on(['POST', 'PUT', 'PATCH'], '/v1/*', jsonBody())

  app.route('/health', healthRoutes(deps.readiness))
  app.route('/', widgetRoutes({ authenticate, publicOrigin: deps.publicOrigin }))
  const threeDSecureDeps = { db: deps.db, clock: deps.clock, acquirer: deps.acquirer, results: deps.challengeResults, projects: deps.projects }
  app.route('/', challengePageRoutes(threeDSecureDeps))
  app.route('/', notificationRoutes(threeDSecureDeps))
  app.route('/v1', publicKeyRoutes(deps.keyRing))
  const limits = deps.rateLimits ?? RATE_LIMIT_DEFAULTS
  const buckets = databaseBuckets(deps.db)
  const limit = (scope: keyof RateLimits) => rateLimit({ clock: deps.clock, scope, perKey: limits[scope].perKey, perAddress: limits[scope].perAddress, trustProxy: deps.trustProxy ?? 0, buckets })
  app.route('/v1/tokens', tokenRoutes({ tokenizer: deps.tokenizer, sessions: deps.sessions, lifecycle: deps.lifecycle, search: deps.search, anyKey, secretKey, tokenizeLimit: limit('tokenize'), verifier: deps.tokenVerifier, refresher: deps.tokenRefresher }))
  app.route('/v1', customerRoutes({ search: deps.search, sessions: deps.sessions, anyKey, secretKey, sessionListLimit: limit('customerSessionList') }))
  app.route('/v1', paymentRoutes({ payments: deps.payments, list: deps.paymentList, threeDSecure: deps.threeDSecure, secretKey, anyKey, publicOrigin: deps.publicOrigin }))
  app.route('/v1/events', eventRoutes({ events: deps.events, secretKey }))
  app.route('/v1', webhookKeyRoutes(deps.webhookKeys))
  app.route('/v1/audit-events', auditRoutes({ audit: deps.audit, secretKey }))
  app.route('/v1', paymentPageRoutes({ pages: deps.pages, secretKey, publicOrigin: deps.publicOrigin }))
  app.route('/', payPageRoutes({ pages: deps.pages, publicOrigin: deps.publicOrigin }))
  const adminKey = adminAuth({ authenticate: (key) => deps.adminKeys.authenticate(key), publicOrigin: deps.publicOrigin })
  app.route('/v1/projects', projectRoutes({ projects: deps.projects, adminKey }))
  app.route('/', referenceRoutes())

  app.notFound((c) => {
    const error = KNOWN.test(c.req.path) ? new MethodNotAllowedError() : new NotFoundError('route_not_found', 'No such endpoint.')
    return errorResponse(c, error.status, error.toBody())
  })
  app.onError(errorHandler(deps.logger, deps.database))
  return app
}
