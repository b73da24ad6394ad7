// 3-D Secure's two doors on the vault: the acquirer's signed notification of a challenge's
// result (server to server; anything unsigned or forged is a 401 and changes nothing), and the
// vault's own page that the element's dialog frames: it frames the acquirer's challenge, polls
// the payment with its client secret and tells the merchant's page the outcome.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Hono, type Context } from 'hono'
import type { Kysely } from 'kysely'
import type { AcquirerClient } from '../acquirer/client.js'
import type { Clock } from '../clock.js'
import { ApiError, NotFoundError } from '../errors.js'
import type { ChallengeResults } from '../payments/challenge-result.js'
import { isPaymentId } from '../payments/payment.js'
import type { ProjectService } from '../projects/service.js'
import { findPaymentAction, findPaymentById } from '../store/payment-actions.js'
import type { Database } from '../store/schema.js'
import { THREE_D_SECURE_TEXTS } from '../../widget/three-d-secure/texts.js'
import { resolveLocale } from '../../widget/protocol.js'
import type { AppEnv } from './env.js'
import { DEFAULT_DIST_DIR, escapeHtml, toOrigin, vaultPageCsp } from './widget.js'

export const NOTIFICATION_PATH = '/v1/acquirer/notifications'

export interface ThreeDSecureRouteDeps {
  db: Kysely<Database>
  clock: Clock
  acquirer: AcquirerClient
  results: ChallengeResults
  projects: ProjectService
  distDir?: string | undefined
}

/** The page's CSP: the frame's, plus the acquirer's origin as the only frame source. */
export const challengePageCsp = (ancestors: readonly string[], challengeOrigin: string | null): string => vaultPageCsp(ancestors, { origin: challengeOrigin })

export function notificationRoutes(deps: ThreeDSecureRouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.post(NOTIFICATION_PATH, async (c) => {
    // The signature covers the exact bytes: the raw body, never a re-serialised one.
    const authentication = deps.acquirer.readNotification({ body: c.get('rawBody'), header: (name) => c.req.header(name) }, deps.clock.now())
    const result = await deps.results.complete(authentication)
    // busy: another process is finishing this payment; the acquirer may send it again.
    return c.json({ received: true, result }, result === 'busy' ? 409 : 200)
  })
  return app
}

export function challengePageRoutes(deps: ThreeDSecureRouteDeps): Hono {
  const app = new Hono()
  let template: string | null = null
  const page = () => {
    try {
      return (template ??= readFileSync(path.join(deps.distDir ?? DEFAULT_DIST_DIR, 'frame', 'three-d-secure.html'), 'utf8'))
    } catch {
      throw new ApiError(503, 'widget_not_built', 'The 3-D Secure page is missing: run `npm run build`.')
    }
  }

  app.get('/three-d-secure/:id', async (c: Context) => {
    const id = c.req.param('id') as string
    const payment = isPaymentId('payment', id) ? await findPaymentById(deps.db, id) : undefined
    const project = payment && (await deps.projects.byId(payment.project_id))
    if (!payment || !project) throw new NotFoundError('payment_not_found', 'No such payment.', 'id')
    const action = payment.status === 'requires_action' ? await findPaymentAction(deps.db, id) : undefined
    const challenge = action?.challenge_url ?? null
    const locale = resolveLocale(c.req.query('locale'))
    const texts = THREE_D_SECURE_TEXTS[locale]
    const ancestors = project.allowedOrigins.map(toOrigin).filter((o): o is string => o !== null)
    c.header('Content-Security-Policy', challengePageCsp(ancestors, challenge ? new URL(challenge).origin : null))
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Referrer-Policy', 'no-referrer')
    c.header('Cache-Control', 'no-store')
    const frame = challenge ? `<iframe id="challenge" src="${escapeHtml(challenge)}" title="${escapeHtml(texts.frameTitle)}"></iframe>` : ''
    const values: Record<string, string> = {
      lang: locale,
      title: escapeHtml(texts.title),
      waiting: escapeHtml(texts.waiting),
      done: escapeHtml(texts.done),
      frame,
    }
    return c.html(page().replace(/\[\[(\w+)\]\]/g, (_, key: string) => values[key] ?? ''))
  })
  return app
}
