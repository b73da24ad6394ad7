// 3-D Secure in place on the hosted payment page, against the sandbox acquirer process: the
// challenge framed by the page (and only its origin allowed), Complete and Fail pressed on the
// acquirer's page, the result reaching the vault server to server, and the page ending from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventsOf, startWorld, type World } from './support/world.js'
import { attempt, createPage, openPage, RETURN_URL } from './support/pages.js'

const CHALLENGE = '4000000000003220'
const FRICTIONLESS = '4000000000003055'

let w: World
beforeAll(async () => {
  w = await startWorld()
})
afterAll(() => w?.close())

const current = (pageId: string, secret: string | null) => w.call('GET', `/v1/payment-pages/${pageId}/attempts/current`, { headers: secret ? { 'tessera-page-secret': secret } : {} })
const challengeOf = (html: string) => /<iframe id="challenge" class="challenge" src="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&')

/** The cardholder presses Complete or Fail on the acquirer's page (its form post). */
async function press(url: string, outcome: 'complete' | 'fail'): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `outcome=${outcome}` })
  expect(res.status).toBe(200)
}

async function challenged(body: Record<string, unknown> = {}) {
  const page = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 4200, currency: 'EUR', ...body })
  const first = await openPage(page.url)
  const res = await attempt(w.call, page.id, first.secret, { card: await w.card(CHALLENGE) })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  expect(res.body).toEqual({ status: 'requires_action' })
  const shown = await openPage(page.url)
  const url = challengeOf(shown.html)
  expect(url).toBeTruthy()
  return { page, shown, url: url as string }
}

describe('3-D Secure on the payment page', () => {
  it('frames the challenge (its origin only), and Complete completes the page with an authenticated payment', async () => {
    const { page, shown, url } = await challenged()
    expect(url.startsWith(w.acquirer.url)).toBe(true)
    expect(shown.headers.get('content-security-policy')).toContain(`frame-src ${new URL(w.acquirer.url).origin};`)
    expect(shown.html).toContain('Your bank asks you to confirm this payment.')
    expect(shown.html).toContain('data-state="challenge"')
    expect((await current(page.id, shown.secret)).body).toEqual({ status: 'requires_action' })
    // While the challenge runs no other try may start.
    expect((await attempt(w.call, page.id, shown.secret, { card: await w.card('4000000000000077') })).body.error.code).toBe('payment_page_busy')
    await press(url, 'complete')
    const done = await current(page.id, shown.secret)
    expect(done.body).toEqual({ status: 'completed', redirect_url: `${RETURN_URL}&payment_page=${page.id}` })
    const read = (await w.call('GET', `/v1/payment-pages/${page.id}`, { key: w.sk() })).body
    expect(read).toMatchObject({ status: 'completed', payment: { status: 'captured', amount: 4200, three_d_secure: { flow: 'challenge', result: 'authenticated' } } })
    expect((await eventsOf(w, 'payment_page.completed')).filter((e) => e.data.object.id === page.id)).toHaveLength(1)
    // Asked again, the answer stands and no second event is written.
    expect((await current(page.id, shown.secret)).body.status).toBe('completed')
    expect((await eventsOf(w, 'payment_page.completed')).filter((e) => e.data.object.id === page.id)).toHaveLength(1)
  })

  it('Fail declines the try with authentication_failed: the page stays open and says so', async () => {
    const { page, shown, url } = await challenged()
    await press(url, 'fail')
    expect((await current(page.id, shown.secret)).body).toMatchObject({ status: 'open' })
    const read = (await w.call('GET', `/v1/payment-pages/${page.id}`, { key: w.sk() })).body
    expect(read).toMatchObject({ status: 'open', payment: { status: 'declined', decline_code: 'authentication_failed' } })
    const again = await openPage(page.url)
    expect(challengeOf(again.html)).toBeUndefined()
    expect(again.html).toContain('Your card was declined.')
    expect((await attempt(w.call, page.id, again.secret, { card: await w.card('4000000000000077') })).status).toBe(200)
  })

  it('ends a try decided while nobody looked: the merchant reads it completed, the page sends the shopper back', async () => {
    const { page, url } = await challenged({ customer_id: 'cus_3ds', save_card: true })
    await press(url, 'complete')
    const read = (await w.call('GET', `/v1/payment-pages/${page.id}`, { key: w.sk() })).body
    expect(read).toMatchObject({ status: 'completed', payment: { status: 'captured' } })
    expect(read.token).toBeTruthy()
    expect(read.payment.token).toBe(read.token)
    expect((await w.call('GET', `/v1/tokens/${read.token}`, { key: w.sk() })).body.customer_id).toBe('cus_3ds')
    const later = await openPage(page.url)
    expect(later.status).toBe(409)
  })

  it('redirects a shopper who reloads after the challenge ended back to return_url', async () => {
    const { page, url } = await challenged()
    await press(url, 'complete')
    const res = await fetch(page.url, { redirect: 'manual' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(`${RETURN_URL}&payment_page=${page.id}`)
  })

  it('pays a frictionless card in one try, and refuses the poll without the page secret', async () => {
    const page = await createPage(w.call, w.sk(), { mode: 'purchase', amount: 100, currency: 'EUR' })
    const { secret } = await openPage(page.url)
    expect((await attempt(w.call, page.id, secret, { card: await w.card(FRICTIONLESS) })).body.status).toBe('completed')
    expect((await current(page.id, null)).status).toBe(401)
    expect((await w.call('GET', `/v1/payment-pages/${page.id}`, { key: w.sk() })).body.payment.three_d_secure).toMatchObject({ flow: 'frictionless', result: 'authenticated' })
  })
})
