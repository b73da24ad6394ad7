// Issue 12 in the browser: the element never names a customer. A customer session made on the
// merchant's server, set as the `customer-session` attribute, lists the customer's cards and
// saves new cards for that customer; tokenize({customerId}) rejects and stores nothing.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { axeViolations } from './support/axe.js'
import { describeInBrowser } from './support/chromium.js'
import { merchantPage } from './support/host-server.js'
import { tableCounts, tokenRows } from '../helpers/db.js'
import { encryptCard } from '../helpers/cards.js'
import { cardFrame, EVENT_RECORDER, recordedEvents, startWorld, tokenizeInPage, typeCard, waitForEvent, type World } from './support/world.js'

describeInBrowser('customer sessions in the card field', () => {
  let world: World
  const pages: Page[] = []

  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(async () => {
    await Promise.all(pages.map((p) => p.close()))
    await world?.close()
  })

  async function session(customerId: string): Promise<string> {
    const res = await world.api('POST', '/v1/customer-sessions', { key: world.keys.test.secret_key, body: { customer_id: customerId } })
    expect(res.status).toBe(201)
    return res.body.client_secret
  }

  async function open(path: string, attributes = ''): Promise<Page> {
    const page = await world.browser.newPage()
    pages.push(page)
    await page.goto(world.host.page(path, merchantPage(world.vault.url, `<tessera-card publishable-key="${world.keys.test.publishable_key}" ${attributes}></tessera-card>`, EVENT_RECORDER)))
    await waitForEvent(page, 'tessera-ready')
    return page
  }

  const snapshot = async () => ({ counts: await tableCounts(world.vault), tokens: await tokenRows(world.vault) })

  it('rejects tokenize({customerId}) with customer_session_required, saying what to do, and stores nothing', async () => {
    const page = await open('/old-api')
    await typeCard(await cardFrame(page), { number: '4242424242424242', expiry: '1230', cvc: '123' })
    const before = await snapshot()
    const result = await tokenizeInPage(page, { customerId: 'c_1' })
    expect(result).toMatchObject({ ok: false, name: 'TesseraElementError', type: 'invalid_request_error', code: 'customer_session_required', param: 'customerId' })
    expect(result.message).toContain('POST /v1/customer-sessions')
    expect(result.message).toContain('customer-session attribute')
    expect(await snapshot()).toEqual(before)
  })

  it('saves a typed card for the customer of the session the attribute holds', async () => {
    const page = await open('/save', `customer-session="${await session('cus_browser')}"`)
    await typeCard(await cardFrame(page), { number: '5555555555554444', expiry: '0431', cvc: '123', name: 'Ada Lovelace' })
    const result = await tokenizeInPage(page)
    expect(result).toMatchObject({ ok: true, card: { brand: 'mastercard', last4: '4444', exp_month: 4, exp_year: 2031 } })
    const stored = await world.api('GET', `/v1/tokens/${result.token}`, { key: world.keys.test.secret_key })
    expect(stored.body).toMatchObject({ customer_id: 'cus_browser', card: { name: 'Ada Lovelace' } })
  })

  it('saves a new card next to saved ones when the customer picks "use a new card"', async () => {
    const secret = await session('cus_two_cards')
    const saved = await world.api('POST', '/v1/tokens', { key: world.keys.test.secret_key, body: { card: await encryptCard(world.vault.url), customer_id: 'cus_two_cards' } })
    const page = await open('/second', `customer-session="${secret}"`)
    const frame = await cardFrame(page)
    await frame.locator('input[value=new]').check()
    await typeCard(frame, { number: '378282246310005', expiry: '1129', cvc: '1234' })
    const result = await tokenizeInPage(page)
    expect(result).toMatchObject({ ok: true, card: { brand: 'american-express', last4: '0005' } })
    expect(result.token).not.toBe(saved.body.token)
    const list = await world.api('GET', '/v1/customers/cus_two_cards/tokens', { key: world.keys.test.secret_key })
    expect(list.body.data.map((t: any) => t.card.last4).sort()).toEqual(['0005', '4242'])
  })

  it('lists a card saved twice once, with its brand mark, and stays axe-clean', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await world.api('POST', '/v1/tokens', { key: world.keys.test.secret_key, body: { card: await encryptCard(world.vault.url), customer_id: 'cus_twice' } })
      expect(res.status).toBe(201)
    }
    const page = await open('/twice', `customer-session="${await session('cus_twice')}"`)
    expect((await waitForEvent(page, 'tessera-ready')).detail).toEqual({ savedCards: 1 })
    const frame = await cardFrame(page)
    const options = await frame.evaluate(() => Array.from(document.querySelectorAll('.saved-option')).map((o) => ({ text: o.textContent, marks: o.querySelectorAll('svg[aria-hidden=true]').length })))
    expect(options).toEqual([{ text: expect.stringContaining('Visa ending in 4242'), marks: 1 }, { text: 'Use a new card', marks: 0 }])
    expect(await axeViolations(frame)).toEqual([])
  })

  it('keeps a card typed before the session arrived: the saved list then starts on "use a new card"', async () => {
    const secret = await session('cus_late')
    await world.api('POST', '/v1/tokens', { key: world.keys.test.secret_key, body: { card: await encryptCard(world.vault.url), customer_id: 'cus_late' } })
    const page = await open('/late')
    const frame = await cardFrame(page)
    await typeCard(frame, { number: '6011111111111117', expiry: '1230', cvc: '123' })
    await page.evaluate((s) => document.querySelector('tessera-card')!.setAttribute('customer-session', s), secret)
    const result = await tokenizeInPage(page)
    expect(result).toMatchObject({ ok: true, card: { brand: 'discover', last4: '1117' } })
    expect(await frame.locator('input[value=new]').isChecked()).toBe(true)
    expect(await frame.locator('#number').isVisible()).toBe(true)
    expect((await world.api('GET', `/v1/tokens/${result.token}`, { key: world.keys.test.secret_key })).body.customer_id).toBe('cus_late')
  })

  it('refuses an unknown session: tessera-error for the list, and tokenize() rejects without storing', async () => {
    const page = await open('/bogus', `customer-session="cs_test_${'A'.repeat(43)}"`)
    const error = await waitForEvent(page, 'tessera-error')
    expect(error.detail).toMatchObject({ type: 'authentication_error', code: 'invalid_customer_session' })
    await typeCard(await cardFrame(page), { number: '4242424242424242', expiry: '1230', cvc: '123' })
    const before = await snapshot()
    expect(await tokenizeInPage(page)).toMatchObject({ ok: false, code: 'invalid_customer_session' })
    expect(await snapshot()).toEqual(before)
    expect((await recordedEvents(page)).filter((e) => e.type === 'tessera-error')).toHaveLength(1)
  })
})
