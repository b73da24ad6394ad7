// The demo shop's CSRF defence: Hono's csrf() for the origin, plus the session's token.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { ShopEnv } from '../../../demo/shop/env.js'
import { CSRF_HEADER, csrfProtection } from '../../../demo/shop/security.js'

const SHOP = 'http://shop.test'
const app = new Hono<ShopEnv>()
app.use(async (c, next) => {
  c.set('session', { sid: 's', csrfToken: 'tok', customer: undefined as never, project: undefined })
  await next()
})
app.use(csrfProtection({ exempt: ['/webhooks/tessera'] }))
app.post('/settings/project', (c) => c.text('done'))
app.post('/api/pay', (c) => c.json({ ok: true }))
app.post('/webhooks/tessera', (c) => c.text('received'))

const form = (headers: Record<string, string>, body: string) => app.request(`${SHOP}/settings/project`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body })
const json = (headers: Record<string, string>) => app.request(`${SHOP}/api/pay`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' })

describe('CSRF protection in the demo shop', () => {
  it('takes a same-origin form post with the session token', async () => {
    expect((await form({ origin: SHOP }, '_csrf=tok')).status).toBe(200)
    expect((await form({ 'sec-fetch-site': 'same-origin' }, '_csrf=tok')).status).toBe(200)
  })

  it('refuses a form post from another site even with the token, and one without the token', async () => {
    expect((await form({ origin: 'http://evil.example' }, '_csrf=tok')).status).toBe(403)
    expect((await form({ 'sec-fetch-site': 'cross-site' }, '_csrf=tok')).status).toBe(403)
    expect((await form({}, '_csrf=tok')).status).toBe(403)
    expect((await form({ origin: SHOP }, '_csrf=nope')).status).toBe(403)
    expect((await form({ origin: SHOP }, 'project=default')).status).toBe(403)
  })

  it('answers JSON refusals in the JSON shape, and needs the token header on JSON posts', async () => {
    const refused = await json({ origin: SHOP })
    expect(refused.status).toBe(403)
    expect((await refused.json()).error.code).toBe('csrf_refused')
    expect((await json({ origin: SHOP, [CSRF_HEADER]: 'tok' })).status).toBe(200)
  })

  it('leaves exempt paths to their own authentication', async () => {
    expect((await app.request(`${SHOP}/webhooks/tessera`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: 'http://vault.test' }, body: 'x' })).status).toBe(200)
  })
})
