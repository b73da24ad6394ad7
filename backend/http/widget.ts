// The card field's routes: the loader and its SRI hash, the frame page (served with the strict
// CSP of DESIGN.md and frame-ancestors from the publishable key's project) and the frame's assets.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Hono, type Context } from 'hono'
import { ApiError, NotFoundError } from '../errors.js'
import { originsForMode } from '../projects/origins.js'
import type { Principal } from '../projects/project.js'
import type { AppEnv } from './env.js'
import { ownOrigin } from './middleware/auth.js'
import { readStaticAsset, staticAnswer, type StaticAsset } from './static-asset.js'

export interface WidgetDeps {
  /** Resolves a raw API key to its principal, or null when no such key exists. */
  authenticate(rawKey: string): Promise<Principal | null>
  /** Where `npm run build` wrote the bundles. */
  distDir?: string
  /** The vault's public origin behind a proxy (TESSERA_PUBLIC_URL); else the request's. */
  publicOrigin?: string | undefined
}

export const DEFAULT_DIST_DIR = fileURLToPath(new URL('../../dist/', import.meta.url))

/** Where the loader's Subresource Integrity hash is published (text/plain, e.g. `sha384-…`). */
export const LOADER_SRI_PATH = '/v1/tessera.js.sri'

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
}

interface WidgetAssets {
  loader: StaticAsset
  loaderIntegrity: string
  framePage: string
  errorPage: string
  /** The frame's hashed scripts and stylesheets by file name: nothing else is ever served. */
  frameFiles: Map<string, StaticAsset>
  /** Code the loader imports on demand (dist/chunks), by hashed file name. */
  chunks: Map<string, StaticAsset>
  /** Per language but English: the frame page's `<link rel=modulepreload>` for its chunk. */
  languagePreloads: Map<string, string>
}

const integrityOf = (source: Uint8Array) => `sha384-${createHash('sha384').update(source).digest('base64')}`

/**
 * The frame imports a language chunk (widget/frame/i18n) when its locale is not English: the page
 * names it up front, so it is fetched beside the frame's script instead of after it has run.
 */
function languagePreloads(frameFiles: Map<string, StaticAsset>): Map<string, string> {
  const links = new Map<string, string>()
  for (const [name, asset] of frameFiles) {
    const locale = /^i18n-([a-z]{2})-[\w-]+\.js$/.exec(name)?.[1]
    if (locale) links.set(locale, `<link rel="modulepreload" href="${name}" integrity="${integrityOf(asset.identity)}">`)
  }
  return links
}

function loadAssets(distDir: string): WidgetAssets {
  try {
    const frameDir = path.join(distDir, 'frame')
    const loader = readStaticAsset(path.join(distDir, 'tessera.js'), CONTENT_TYPES['.js'] as string)
    const frameFiles = new Map<string, StaticAsset>()
    for (const name of readdirSync(frameDir)) {
      const type = CONTENT_TYPES[path.extname(name)]
      if (type) frameFiles.set(name, readStaticAsset(path.join(frameDir, name), type))
    }
    const chunksDir = path.join(distDir, 'chunks')
    const chunks = new Map<string, StaticAsset>()
    // A build whose loader imports nothing lazily has no chunks folder.
    for (const name of existsSync(chunksDir) ? readdirSync(chunksDir) : []) if (name.endsWith('.js')) chunks.set(name, readStaticAsset(path.join(chunksDir, name), CONTENT_TYPES['.js'] as string))
    return {
      chunks,
      loader,
      loaderIntegrity: integrityOf(loader.identity),
      framePage: readFileSync(path.join(frameDir, 'card.html'), 'utf8'),
      errorPage: readFileSync(path.join(frameDir, 'error.html'), 'utf8'),
      frameFiles,
      languagePreloads: languagePreloads(frameFiles),
    }
  } catch {
    throw new ApiError(503, 'widget_not_built', 'The card field bundles are missing: run `npm run build`.')
  }
}

/** An origin as browsers serialise it (`https://shop.example:8443`), or null for anything else. */
export function toOrigin(value: string): string | null {
  try {
    const url = new URL(value)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
    return url.origin === value.replace(/\/$/, '') ? url.origin : null
  } catch {
    return null
  }
}

/**
 * The CSP of the vault's own pages, from DESIGN.md's frame CSP; no ancestors means the page may
 * not be framed at all. Pages that show an acquirer's 3-D Secure challenge (the challenge page,
 * the hosted payment page) pass `challengeOrigin`: that origin, or none while no challenge runs,
 * is their only frame source, and they allow no form target and no base URL.
 */
export function vaultPageCsp(ancestors: readonly string[], challenge?: { origin: string | null }): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    ...(challenge ? [`frame-src ${challenge.origin ?? "'none'"}`, "base-uri 'none'", "form-action 'none'"] : []),
    `frame-ancestors ${ancestors.length > 0 ? ancestors.join(' ') : "'none'"}`,
  ].join('; ')
}

/** The card frame page's CSP. */
export const frameCsp = (ancestors: readonly string[]): string => vaultPageCsp(ancestors)

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string)

interface FrameProblem {
  status: 400 | 401 | 403
  type: 'invalid_request_error' | 'authentication_error' | 'permission_error'
  /** The cause, for the developer: the element puts it on tessera-error as `reason`. */
  reason: 'publishable_key_missing' | 'secret_key_in_browser' | 'invalid_api_key' | 'origin_not_allowed'
  message: string
}

/** Why this key and host origin get no card form, or the origins that may frame it. */
async function judgeFrameRequest(deps: WidgetDeps, key: string, origin: string | null): Promise<FrameProblem | string[]> {
  if (key === '') return { status: 400, type: 'invalid_request_error', reason: 'publishable_key_missing', message: 'The card field has no publishable key.' }
  // A secret key in a page is already leaked; it is not even looked up.
  if (/^(sk|rk)_/.test(key)) return { status: 403, type: 'permission_error', reason: 'secret_key_in_browser', message: 'A secret key was put in a web page. Use the publishable key (pk_…) and roll this secret key.' }
  const principal = await deps.authenticate(key)
  if (!principal || principal.kind !== 'publishable') return { status: 401, type: 'authentication_error', reason: 'invalid_api_key', message: 'The publishable key is not recognised.' }
  const allowed = originsForMode(principal.project, principal.mode).map(toOrigin).filter((o): o is string => o !== null)
  if (allowed.length === 0) return { status: 403, type: 'permission_error', reason: 'origin_not_allowed', message: 'This project has no allowed origins: add the checkout page\'s origin to the project.' }
  if (origin === null) return { status: 400, type: 'invalid_request_error', reason: 'origin_not_allowed', message: 'The card field was loaded without its host origin.' }
  if (!allowed.includes(origin)) return { status: 403, type: 'permission_error', reason: 'origin_not_allowed', message: `The origin ${origin} is not allowed for this publishable key.` }
  return allowed
}

/**
 * Whether two host names could be the same site (scheme aside). A site is a registrable domain
 * (one label under a public suffix), so two names whose last two labels differ never are; nor are
 * two different IP addresses. Without the Public Suffix List this says "could be" for more pairs
 * than are (a.github.io and b.github.io), never "is not" for a pair that is.
 */
export function couldBeSameSite(a: string, b: string): boolean {
  const host = (h: string) => h.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '')
  const [x, y] = [host(a), host(b)]
  if (x === y) return true
  const ip = (h: string) => /^[\d.]+$/.test(h) || h.includes(':')
  if (ip(x) || ip(y)) return false
  const lastTwo = (h: string) => h.split('.').slice(-2).join('.')
  return lastTwo(x) === lastTwo(y) || x.endsWith(`.${y}`) || y.endsWith(`.${x}`)
}

/**
 * Whether the card frame asks for an origin-keyed agent cluster (`Origin-Agent-Cluster: ?1`, as
 * every other vault answer does). What it buys the frame is a renderer process of its own beside
 * a page of the same site (the vault at vault.shop.example, the checkout at shop.example). A
 * cross-site page never shares the frame's process (site isolation), and there the header costs
 * Chromium a second renderer: it starts one for the vault's site when the navigation begins,
 * learns from the response that this origin wants its own, throws that one away and starts
 * another (45-70 ms of the ~200 ms to ready, measured in docs/performance.md). So the frame leaves
 * the agent cluster to the browser's default only when the browser says the embedding page is
 * cross-site (Sec-Fetch-Site, which no page script can set) and none of the origins allowed to
 * frame it (frame-ancestors: every page above it is one of them) could be on the vault's site.
 */
export function keysFrameByOrigin(secFetchSite: string | undefined, allowedOrigins: readonly string[], vaultHost: string): boolean {
  return secFetchSite !== 'cross-site' || allowedOrigins.some((origin) => couldBeSameSite(new URL(origin).hostname, vaultHost))
}

function securityHeaders(c: Context): void {
  c.header('X-Content-Type-Options', 'nosniff')
  c.header('Referrer-Policy', 'no-referrer')
}

export function widgetRoutes(deps: WidgetDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  let cached: WidgetAssets | null = null
  const assets = () => (cached ??= loadAssets(deps.distDir ?? DEFAULT_DIST_DIR))

  const publicScriptHeaders = (c: Context<AppEnv>) => {
    securityHeaders(c)
    c.header('Access-Control-Allow-Origin', '*')
    c.header('Cross-Origin-Resource-Policy', 'cross-origin')
    // Short: the loader's name never changes, and an SRI-pinned page must learn of a new build.
    c.header('Cache-Control', 'public, max-age=300')
  }

  app.get('/v1/tessera.js', (c) => {
    publicScriptHeaders(c)
    return staticAnswer(c, assets().loader)
  })

  // The loader's lazily loaded code (handleNextAction's dialog): content-hashed names, public like the loader.
  app.get('/v1/chunks/:file', (c) => {
    const file = assets().chunks.get(c.req.param('file'))
    if (!file) throw new NotFoundError()
    publicScriptHeaders(c)
    c.header('Cache-Control', 'public, max-age=31536000, immutable')
    return staticAnswer(c, file)
  })

  app.get(LOADER_SRI_PATH, (c) => {
    publicScriptHeaders(c)
    return c.text(assets().loaderIntegrity)
  })

  app.get('/frame/card', async (c) => {
    const { framePage, errorPage, languagePreloads } = assets()
    const origin = toOrigin(c.req.query('origin') ?? '')
    const verdict = await judgeFrameRequest(deps, c.req.query('key') ?? '', origin)
    securityHeaders(c)
    c.header('Cache-Control', 'no-store')
    if (Array.isArray(verdict)) {
      c.header('Content-Security-Policy', frameCsp(verdict))
      if (!keysFrameByOrigin(c.req.header('sec-fetch-site'), verdict, new URL(ownOrigin(c.req.url, deps.publicOrigin)).hostname)) c.set('agentClusterByBrowser', true)
      return c.html(framePage.replace('[[preload]]', languagePreloads.get(c.req.query('locale') ?? '') ?? ''))
    }
    // The error page shows the shopper nothing: it tells the element why (tessera-error and the
    // console, for the developer), and the element collapses to one localised line.
    c.header('Content-Security-Policy', frameCsp(origin ? [origin] : []))
    const page = errorPage
      .replaceAll('[[message]]', escapeHtml(verdict.message))
      .replaceAll('[[type]]', verdict.type)
      .replaceAll('[[reason]]', verdict.reason)
    return c.html(page, verdict.status)
  })

  app.get('/frame/:file', (c) => {
    const file = assets().frameFiles.get(c.req.param('file'))
    if (!file) throw new NotFoundError()
    securityHeaders(c)
    c.header('Cross-Origin-Resource-Policy', 'same-origin')
    // Content-hashed names: a new build is a new URL.
    c.header('Cache-Control', 'public, max-age=31536000, immutable')
    return staticAnswer(c, file)
  })

  return app
}
