// The hosted payment page over HTTP, against the sandbox acquirer process: created and read with
// the secret key (idempotency, bad bodies refused with nothing stored), the page as the shopper's
// browser gets it, and expiry. Paying and saving through the page: payment-page-paying.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APPROVE, counts, startWorld, type World } from './support/world.js'
import { attempt, CANCEL_URL, createPage, OffsetClock, openPage, RETURN_URL } from './support/pages.js'

const clock = new OffsetClock()
let w: World
beforeAll(async () => {
  w = await startWorld({ clock })
})
afterAll(() => w?.close())

const pageRows = async () => Number((await w.vault.running.vault.store.db.selectFrom('payment_pages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

describe('creating and reading a page (secret key)', () => {
  it('answers 201 with an open page on the vault origin, 30 minutes ahead, and GET reads it', async () => {
    const before = Date.now()
    const res = await w.call('POST', '/v1/payment-pages', { key: w.sk(), body: { mode: 'purchase', amount: 1250, currency: 'EUR', return_url: RETURN_URL } })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body).slice(0, 5)).toEqual(['object', 'id', 'url', 'status', 'expires_at'])
    expect(res.body).toMatchObject({ object: 'payment_page', status: 'open', mode: 'purchase', amount: 1250, currency: 'EUR', capture: true, save_card: false, livemode: false })
    expect(res.body.id).toMatch(/^pp_[A-Za-z0-9_-]{32}$/)
    expect(res.body.url).toBe(`${w.vault.url}/pay/${res.body.id}`)
    const ahead = new Date(res.body.expires_at).getTime() - before
    expect(ahead).toBeGreaterThanOrEqual(30 * 60_000 - 1000)
    expect(ahead).toBeLessThanOrEqual(30 * 60_000 + 5000)
    const read = await w.call('GET', `/v1/payment-pages/${res.body.id}`, { key: w.sk() })
    expect(read.status).toBe(200)
    expect(read.body).toEqual(res.body)
    expect(read.body.token).toBeUndefined()
    expect(read.body.payment).toBeUndefined()
  })

  it('is not found with a publishable key, another project, the other mode, or a made-up id', async () => {
    const page = await createPage(w.call, w.sk(), { mode: 'tokenize' })
    expect((await w.call('GET', `/v1/payment-pages/${page.id}`, { key: w.keys.test.publishable_key })).status).toBe(403)
    const other = await w.vault.createProject()
    expect((await w.call('GET', `/v1/payment-pages/${page.id}`, { key: other.test.secret_key })).status).toBe(404)
    expect((await w.call('GET', `/v1/payment-pages/${page.id}`, { key: w.keys.live.secret_key })).status).toBe(404)
    const made = await w.call('GET', '/v1/payment-pages/pp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { key: w.sk() })
    expect(made.status).toBe(404)
    expect(made.body.error.code).toBe('payment_page_not_found')
  })

  it('honours Idempotency-Key: the same request answers the same page, another body is a conflict', async () => {
    const body = { mode: 'purchase', amount: 500, currency: 'USD', return_url: RETURN_URL }
    const headers = { 'idempotency-key': `page-${Date.now()}` }
    const first = await w.call('POST', '/v1/payment-pages', { key: w.sk(), body, headers })
    const again = await w.call('POST', '/v1/payment-pages', { key: w.sk(), body, headers })
    expect(again.status).toBe(201)
    expect(again.body.id).toBe(first.body.id)
    const other = await w.call('POST', '/v1/payment-pages', { key: w.sk(), body: { ...body, amount: 501 }, headers })
    expect(other.status).toBe(409)
  })

  const BAD: [string, Record<string, unknown>, string, string][] = [
    ['purchase without amount', { mode: 'purchase', currency: 'EUR' }, 'parameter_missing', 'amount'],
    ['purchase without currency', { mode: 'purchase', amount: 100 }, 'parameter_missing', 'currency'],
    ['tokenize with amount', { mode: 'tokenize', amount: 100 }, 'parameter_invalid', 'amount'],
    ['tokenize with currency', { mode: 'tokenize', currency: 'EUR' }, 'parameter_invalid', 'currency'],
    ['tokenize with save_card', { mode: 'tokenize', save_card: true }, 'parameter_invalid', 'save_card'],
    ['relative return_url', { mode: 'tokenize', return_url: '/orders/42' }, 'parameter_invalid', 'return_url'],
    ['javascript: return_url', { mode: 'tokenize', return_url: 'javascript:alert(1)' }, 'parameter_invalid', 'return_url'],
    ['credentials in cancel_url', { mode: 'tokenize', cancel_url: 'https://user:pw@shop.example/' }, 'parameter_invalid', 'cancel_url'],
    ['bad locale', { mode: 'tokenize', locale: 'xx' }, 'parameter_invalid', 'locale'],
    ['unknown mode', { mode: 'payout' }, 'parameter_invalid', 'mode'],
    ['no return_url', { mode: 'tokenize', return_url: undefined }, 'parameter_missing', 'return_url'],
    ['unknown field', { mode: 'tokenize', webhook: 'x' }, 'parameter_unknown', 'webhook'],
    ['lower-case currency', { mode: 'purchase', amount: 100, currency: 'eur' }, 'parameter_invalid', 'currency'],
    ['zero amount', { mode: 'purchase', amount: 0, currency: 'EUR' }, 'parameter_invalid', 'amount'],
  ]
  it.each(BAD)('refuses %s with 400 and stores nothing', async (_name, body, code, param) => {
    const before = { ...(await counts(w.vault)), pages: await pageRows() }
    const res = await w.call('POST', '/v1/payment-pages', { key: w.sk(), body: { return_url: RETURN_URL, ...body } })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code, param })
    expect({ ...(await counts(w.vault)), pages: await pageRows() }).toEqual(before)
  })

  it('in live mode takes https URLs (and loopback http), not plain http', async () => {
    const live = w.keys.live.secret_key
    const http = await w.call('POST', '/v1/payment-pages', { key: live, body: { mode: 'tokenize', return_url: 'http://shop.example/back' } })
    expect(http.status).toBe(400)
    expect(http.body.error.param).toBe('return_url')
    expect((await w.call('POST', '/v1/payment-pages', { key: live, body: { mode: 'tokenize', return_url: 'https://shop.example/back', cancel_url: 'http://shop.example/c' } })).body.error.param).toBe('cancel_url')
    expect((await w.call('POST', '/v1/payment-pages', { key: live, body: { mode: 'tokenize', return_url: 'https://shop.example/back' } })).status).toBe(201)
    expect((await w.call('POST', '/v1/payment-pages', { key: live, body: { mode: 'tokenize', return_url: 'http://localhost:3000/back' } })).status).toBe(201)
  })
})

describe('the page itself', () => {
  it('is served with a strict CSP, never framed, never cached; an unknown id is a 404 page', async () => {
    const page = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 100, currency: 'EUR' })
    const opened = await openPage(page.url)
    const csp = opened.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("style-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("frame-src 'none'")
    expect(opened.headers.get('x-frame-options')).toBe('DENY')
    expect(opened.headers.get('cache-control')).toBe('no-store')
    expect(opened.html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)|\sstyle=|<style/)
    expect(opened.html).toContain('Test shop')
    expect(opened.html).toContain('Pay €1.00')
    const unknown = await openPage(`${w.vault.url}/pay/pp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)
    expect(unknown.status).toBe(404)
    expect(unknown.html).toContain('Page not found')
  })

  it('speaks Romanian when the page asks, or when the shopper’s browser does', async () => {
    const page = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 1250, currency: 'EUR', locale: 'ro' })
    const opened = await openPage(page.url)
    expect(opened.html).toContain('<html lang="ro">')
    // As CLDR writes euros in Romanian (Intl.NumberFormat('ro')).
    expect(opened.html).toContain(`<h1>Plătiți ${new Intl.NumberFormat('ro', { style: 'currency', currency: 'EUR' }).format(12.5)}</h1>`)
    expect(opened.html).toMatch(/<h1>Plătiți 12,50\s(EUR|€)<\/h1>/)
    const byBrowser = await createPage(w.call, w.sk(), { mode: 'tokenize' })
    expect((await openPage(byBrowser.url, { 'accept-language': 'ro-RO,ro;q=0.9,en;q=0.8' })).html).toContain('Salvați cardul')
    // Every language the card field speaks: German here.
    const german = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 1250, currency: 'EUR', locale: 'de' })
    expect((await openPage(german.url)).html).toMatch(/<h1>12,50\s€ bezahlen<\/h1>/)
  })
})

describe('expiry', () => {
  it('after 30 minutes the page is expired: it says so, takes no card, and GET answers expired', async () => {
    const page = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 100, currency: 'EUR', cancel_url: CANCEL_URL })
    const { secret } = await openPage(page.url)
    clock.offsetMs = 30 * 60_000 + 1000
    try {
      const before = await counts(w.vault)
      const res = await attempt(w.call, page.id, secret, { card: await w.card(APPROVE, { iat: Math.floor(clock.now().getTime() / 1000) }) })
      expect(res.status).toBe(409)
      expect(res.body.error.code).toBe('payment_page_expired')
      expect(await counts(w.vault)).toEqual(before)
      expect((await w.call('GET', `/v1/payment-pages/${page.id}`, { key: w.sk() })).body.status).toBe('expired')
      const shown = await openPage(page.url)
      expect(shown.status).toBe(410)
      expect(shown.secret).toBeNull()
      expect(shown.html).toContain('This page has expired')
      expect(shown.html).toContain(`href="https://shop.example/cart?payment_page=${page.id}"`)
    } finally {
      clock.offsetMs = 0
    }
  })
})
