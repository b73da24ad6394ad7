// GET /pay/:id: the hosted payment page on the vault's own origin, and its script and
// stylesheet. The same strict CSP as the card frame, and no one may frame it.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { Hono, type Context } from 'hono'
import { ApiError, NotFoundError } from '../errors.js'
import { ASSET_PATH, pageLocale, renderChallengePage, renderClosedPage, renderOpenPage, type PageAssets } from '../payment-pages/render.js'
import type { PaymentPages } from '../payment-pages/service.js'
import { ownOrigin } from './middleware/auth.js'
import { readStaticAsset, staticAnswer, type StaticAsset } from './static-asset.js'
import { DEFAULT_DIST_DIR, vaultPageCsp } from './widget.js'

export interface PayPageDeps {
  pages: Pick<PaymentPages, 'open'>
  publicOrigin?: string | undefined
  /** Where `npm run build` wrote the bundles. */
  distDir?: string
}

/**
 * The page's CSP: the frame page's, with no ancestors at all and nowhere to post a form; while a
 * 3-D Secure challenge runs, that challenge's origin (and no other) may be framed.
 */
export const payPageCsp = (challengeOrigin: string | null = null): string => vaultPageCsp([], { origin: challengeOrigin })

const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' }

interface Built {
  assets: PageAssets
  files: Map<string, StaticAsset>
}

function loadBuilt(distDir: string): Built {
  try {
    const dir = path.join(distDir, 'pay')
    const files = new Map<string, StaticAsset>()
    for (const name of readdirSync(dir)) {
      const type = CONTENT_TYPES[path.extname(name)]
      if (type) files.set(name, readStaticAsset(path.join(dir, name), type))
    }
    return { assets: JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as PageAssets, files }
  } catch {
    throw new ApiError(503, 'widget_not_built', 'The payment page bundles are missing: run `npm run build`.')
  }
}

function pageHeaders(c: Context, challengeUrl: string | null): void {
  c.header('Content-Security-Policy', payPageCsp(challengeUrl === null ? null : new URL(challengeUrl).origin))
  c.header('X-Content-Type-Options', 'nosniff')
  c.header('X-Frame-Options', 'DENY')
  c.header('Referrer-Policy', 'no-referrer')
  // The page holds a fresh secret each time: never from a cache.
  c.header('Cache-Control', 'no-store')
}

export function payPageRoutes(deps: PayPageDeps): Hono {
  const app = new Hono()
  let cached: Built | null = null
  const built = () => (cached ??= loadBuilt(deps.distDir ?? DEFAULT_DIST_DIR))

  app.get(`${ASSET_PATH}:file`, (c) => {
    const file = built().files.get(c.req.param('file'))
    if (!file) throw new NotFoundError()
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Cross-Origin-Resource-Policy', 'same-origin')
    c.header('Cache-Control', 'public, max-age=31536000, immutable')
    return staticAnswer(c, file)
  })

  app.get('/pay/:id', async (c) => {
    const { assets } = built()
    const opened = await deps.pages.open(c.req.param('id'), ownOrigin(c.req.url, deps.publicOrigin))
    pageHeaders(c, opened?.challengeUrl ?? null)
    const locale = pageLocale(opened?.page.locale ?? null, c.req.header('accept-language'))
    if (!opened) return c.html(renderClosedPage('not_found', locale, assets), 404)
    // A challenge that ended while the page was away (or reloading): back to the shop, as an attempt would.
    if (opened.justEnded) return c.redirect(opened.returnTo, 303)
    if (opened.challengeUrl !== null) return c.html(renderChallengePage(opened, locale, assets))
    if (opened.status === 'open') return c.html(renderOpenPage(opened, locale, assets))
    // A page the shopper reads, with the status a crawler or a test can tell apart.
    return c.html(renderClosedPage(opened.status, locale, assets, opened), opened.status === 'expired' ? 410 : 409)
  })

  return app
}
