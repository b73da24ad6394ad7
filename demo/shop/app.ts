// createShopApp(deps): the demo merchant's middleware and pages, top to bottom.
import crypto from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Hono } from 'hono'
import type { Logger } from '../../common/logger.js'
import type { ShopDeps, ShopEnv } from './env.js'
import { checkoutRoutes } from './routes/checkout.js'
import { hostedRoutes } from './routes/hosted.js'
import { inspectorRoutes } from './routes/inspector.js'
import { savedCardRoutes } from './routes/saved-cards.js'
import { sessionRoutes } from './routes/session.js'
import { settingsRoutes } from './routes/settings.js'
import { testCardRoutes } from './routes/test-cards.js'
import { WEBHOOK_PATH, webhookRoutes } from './routes/webhooks.js'
import { csrfProtection, securityHeaders } from './security.js'
import { sessions } from './session.js'

export const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url))

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
}

/** The shop's own stylesheet and scripts, read once: nothing else under /static/ exists. */
function staticFiles(dir: string): Map<string, { body: Uint8Array<ArrayBuffer>; type: string }> {
  const files = new Map<string, { body: Uint8Array<ArrayBuffer>; type: string }>()
  for (const name of readdirSync(dir)) {
    const type = CONTENT_TYPES[path.extname(name)]
    if (type) files.set(name, { body: new Uint8Array(readFileSync(path.join(dir, name))), type })
  }
  return files
}

export interface ShopAppOptions extends ShopDeps {
  /** Keys the session-bound CSRF tokens (default: random per process). */
  secret?: Uint8Array
  logger?: Logger
}

export function createShopApp(options: ShopAppOptions): Hono<ShopEnv> {
  const deps: ShopDeps = { vault: options.vault, projects: options.projects, records: options.records, inbox: options.inbox }
  const files = staticFiles(STATIC_DIR)
  const app = new Hono<ShopEnv>()

  app.use(securityHeaders({ vaultOrigin: deps.vault.origin }))
  app.get('/health', (c) => c.json({ status: 'ok', projects: deps.projects.all().length }))
  app.get('/static/:file', (c) => {
    const file = files.get(c.req.param('file'))
    if (!file) return c.text('Not found', 404)
    return c.body(file.body, 200, { 'Content-Type': file.type, 'Cache-Control': 'no-cache' })
  })
  app.use(sessions({ secret: options.secret ?? crypto.randomBytes(32), projects: deps.projects }))
  app.use(csrfProtection({ exempt: [WEBHOOK_PATH] }))

  app.get('/', (c) => c.redirect('/checkout'))
  app.route('/', checkoutRoutes(deps))
  app.route('/', hostedRoutes(deps))
  app.route('/', savedCardRoutes(deps))
  app.route('/', inspectorRoutes(deps))
  app.route('/', webhookRoutes(deps))
  app.route('/', testCardRoutes(deps))
  app.route('/', settingsRoutes(deps))
  app.route('/', sessionRoutes(deps))

  app.notFound((c) => c.text('Not found', 404))
  app.onError((error, c) => {
    options.logger?.error({ err: { name: error.name, message: error.message } }, 'shop request failed')
    const message = 'Something went wrong talking to the vault. Is it still running?'
    return c.req.path.startsWith('/api/') ? c.json({ error: { code: 'shop_error', message } }, 502) : c.text(message, 502)
  })
  return app
}
