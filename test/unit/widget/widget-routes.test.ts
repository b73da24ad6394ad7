import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { TesseraError } from '../../../backend/errors.js'
import { couldBeSameSite, frameCsp, keysFrameByOrigin, toOrigin, widgetRoutes } from '../../../backend/http/widget.js'
import type { Principal } from '../../../backend/projects/project.js'

const SHOP = 'https://shop.example'
const OTHER = 'https://other.example'

function fakeDist(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tessera-dist-'))
  mkdirSync(path.join(dir, 'frame'))
  writeFileSync(path.join(dir, 'tessera.js'), 'export const loader = 1\n')
  writeFileSync(path.join(dir, 'frame', 'card-abc.js'), 'console.log("frame")\n')
  writeFileSync(path.join(dir, 'frame', 'card-abc.css'), 'body{margin:0}\n')
  writeFileSync(path.join(dir, 'frame', 'i18n-de-xyz.js'), 'export const de = {}\n')
  writeFileSync(path.join(dir, 'frame', 'card.html'), '<!doctype html><title>Card</title><script type="module" src="card-abc.js"></script>[[preload]]<body></body>')
  writeFileSync(path.join(dir, 'frame', 'error.html'), readFileSync('widget/frame/error.html', 'utf8'))
  return dir
}

const principal = (kind: Principal['kind'], allowedOrigins: string[]): Principal => ({
  keyId: 'key_1',
  kind,
  mode: 'test',
  project: { id: 'p1', name: 'Shop', displayName: null, allowedOrigins, verification: 'basic', tokenFormat: 'random', tokenManagement: 'unique-token', onDuplicate: 'return', requireCvcForSavedCards: false, webhookUrl: null, tokenizeOnPurchase: false, accountUpdater: 'off', createdAt: '2026-01-01T00:00:00Z' },
})

const KEYS: Record<string, Principal> = {
  pk_test_shop: principal('publishable', [SHOP, 'http://127.0.0.1:3000']),
  pk_test_bare: principal('publishable', []),
  pk_test_odd: principal('publishable', ['https://shop.example/path', "https://x.example 'unsafe-inline'"]),
}

const dist = fakeDist()
const looked: string[] = []
const app = widgetRoutes({
  distDir: dist,
  authenticate: async (key) => {
    looked.push(key)
    return KEYS[key] ?? null
  },
})
// What backend/app.ts's error handler does: TesseraErrors become their status and JSON shape.
app.onError((error, c) => (error instanceof TesseraError ? c.json({ error: error.toBody() }, error.status as 404) : c.text('boom', 500)))

const frame = (key: string, origin = SHOP) => app.request(`/frame/card?key=${encodeURIComponent(key)}&origin=${encodeURIComponent(origin)}`)

describe('the loader', () => {
  it('is served to any origin as JavaScript', async () => {
    const res = await app.request('/v1/tessera.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await res.text()).toBe('export const loader = 1\n')
  })

  it('publishes the SHA-384 integrity of exactly what it serves', async () => {
    const body = Buffer.from(await (await app.request('/v1/tessera.js')).arrayBuffer())
    const res = await app.request('/v1/tessera.js.sri')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(await res.text()).toBe(`sha384-${createHash('sha384').update(body).digest('base64')}`)
  })
})

describe('the frame page', () => {
  it("names the chosen language's chunk for modulepreload, with its integrity, so it loads beside the script", async () => {
    const html = await (await app.request(`/frame/card?key=pk_test_shop&origin=${encodeURIComponent(SHOP)}&locale=de`)).text()
    const integrity = `sha384-${createHash('sha384').update('export const de = {}\n').digest('base64')}`
    expect(html).toContain(`<link rel="modulepreload" href="i18n-de-xyz.js" integrity="${integrity}">`)
  })

  it.each(['en', 'xx', '"><script>', ''])('preloads no language for locale %j (English is built in)', async (locale) => {
    const html = await (await app.request(`/frame/card?key=pk_test_shop&origin=${encodeURIComponent(SHOP)}&locale=${encodeURIComponent(locale)}`)).text()
    expect(html).not.toContain('modulepreload')
    expect(html).not.toContain('[[preload]]')
    expect(html).not.toContain('<script>')
  })

  it("is served with DESIGN.md's CSP, frame-ancestors the project's origins", async () => {
    const res = await frame('pk_test_shop')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors https://shop.example http://127.0.0.1:3000",
    )
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.text()).toContain('card-abc.js')
  })

  it.each([
    ['an unknown key', 'pk_test_nope', SHOP, 401, 'not recognised'],
    ['a project without origins', 'pk_test_bare', SHOP, 403, 'no allowed origins'],
    ['an origin the project does not allow', 'pk_test_shop', OTHER, 403, 'https://other.example is not allowed'],
    ['no origin', 'pk_test_shop', '', 400, 'without its host origin'],
    ['no key', '', SHOP, 400, 'no publishable key'],
  ])('answers %s with an error page and no inputs', async (_, key, origin, status, text) => {
    const res = await frame(key, origin)
    expect(res.status).toBe(status)
    const html = await res.text()
    expect(html).toContain(text)
    expect(html).not.toMatch(/<input/i)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toMatch(origin ? new RegExp(`frame-ancestors ${origin}$`) : /frame-ancestors 'none'$/)
  })

  it('refuses a secret key without looking it up', async () => {
    looked.length = 0
    const res = await frame('sk_test_secret')
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('secret key')
    expect(looked).toEqual([])
  })

  it('puts only well-formed origins in frame-ancestors', async () => {
    const res = await frame('pk_test_odd', 'https://x.example')
    expect(res.status).toBe(403)
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline')
  })

  it('does not echo a malformed origin into the error page', async () => {
    const res = await frame('pk_test_shop', 'https://a.example/"><script>alert(1)</script>')
    expect(res.status).toBe(400)
    expect(await res.text()).not.toContain('<script>alert')
  })
})

describe('frame assets', () => {
  it('serves the built files with long caching', async () => {
    const res = await app.request('/frame/card-abc.css')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(res.headers.get('cache-control')).toContain('immutable')
  })

  it.each(['/frame/card.html', '/frame/missing.js', '/frame/..%2Ftessera.js', '/frame/%2e%2e%2fpackage.json'])('answers %s with 404', async (url) => {
    expect((await app.request(url)).status).toBe(404)
  })

  it('answers 503 when the bundles were never built', async () => {
    const empty = widgetRoutes({ distDir: path.join(tmpdir(), 'no-such-dist'), authenticate: async () => null })
    empty.onError((error, c) => c.json({ error: (error as TesseraError).toBody() }, (error as TesseraError).status as 503))
    const res = await empty.request('/v1/tessera.js')
    expect(res.status).toBe(503)
    expect((await res.json()).error.code).toBe('widget_not_built')
  })
})

describe('the page templates', () => {
  it.each(['card.html', 'error.html'])('%s has no inline script or style', (name) => {
    const html = readFileSync(path.join('widget/frame', name), 'utf8')
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i)
    expect(html).not.toMatch(/<style|\sstyle=|\son\w+=/i)
  })
})

describe('origins and CSP', () => {
  it.each([
    ['https://shop.example', 'https://shop.example'],
    ['https://shop.example/', 'https://shop.example'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['https://shop.example/path', null],
    ['javascript:alert(1)', null],
    ['null', null],
    ["https://x.example 'unsafe-inline'", null],
  ])('reads %j as origin %j', (value, origin) => {
    expect(toOrigin(value)).toBe(origin)
  })

  it("forbids all framing when there is no ancestor", () => {
    expect(frameCsp([])).toMatch(/frame-ancestors 'none'$/)
  })
})

describe('couldBeSameSite and keysFrameByOrigin', () => {
  it.each([
    ['shop.example', 'vault.shop.example', true],
    ['shop.example', 'shop.example', true],
    ['SHOP.example.', 'vault.shop.example', true],
    ['a.github.io', 'b.github.io', true], // "could be": no Public Suffix List here
    ['shop.example', 'vault.example', false],
    ['shop.example', 'vault.tessera.cloud', false],
    ['localhost', 'x.localhost', true],
    ['localhost', '127.0.0.1', false],
    ['127.0.0.1', '127.0.0.1', true],
    ['10.0.0.1', '10.0.0.2', false],
    ['[::1]', '::1', true],
    ['[::1]', 'localhost', false],
  ])('%s and %s: %s', (a, b, expected) => {
    expect(couldBeSameSite(a, b)).toBe(expected)
    expect(couldBeSameSite(b, a)).toBe(expected)
  })

  it('asks for a process of its own unless the browser says cross-site and no allowed origin could be on the vault’s site', () => {
    expect(keysFrameByOrigin('cross-site', ['https://shop.example'], 'vault.tessera.cloud')).toBe(false)
    expect(keysFrameByOrigin('cross-site', ['https://shop.example', 'https://pay.tessera.cloud'], 'vault.tessera.cloud')).toBe(true)
    expect(keysFrameByOrigin('same-site', ['https://shop.example'], 'vault.tessera.cloud')).toBe(true)
    expect(keysFrameByOrigin(undefined, ['https://shop.example'], 'vault.tessera.cloud')).toBe(true)
    expect(keysFrameByOrigin('cross-site', ['https://shop.example'], 'vault.shop.example')).toBe(true)
  })
})
