// Scenario 1 of issue 3: a card typed into the frame becomes a token the merchant's server can read.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeInBrowser } from './support/chromium.js'
import { merchantPage } from './support/host-server.js'
import { cardFrame, EVENT_RECORDER, startWorld, tokenizeInPage, typeCard, waitForEvent, type World } from './support/world.js'

describeInBrowser('tokenize in the browser', () => {
  let world: World

  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(() => world?.close())

  it('turns a typed test card into a token the secret key reads back with the same last four and expiry', async () => {
    const url = world.host.page('/checkout', merchantPage(world.vault.url, `<tessera-card publishable-key="${world.keys.test.publishable_key}"></tessera-card>`, EVENT_RECORDER))
    const page = await world.browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(url)
    await waitForEvent(page, 'tessera-ready')
    const frame = await cardFrame(page)
    await typeCard(frame, { number: '4242424242424242', expiry: '1230', cvc: '123', name: 'Paul Smith' })
    expect(await frame.locator('#number').inputValue()).toBe('4242 4242 4242 4242')
    expect(await frame.locator('#expiry').inputValue()).toBe('12 / 30')

    const result = await tokenizeInPage(page, { customerId: 'c_1' })
    expect(result).toMatchObject({ ok: true, card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 } })

    const stored = await world.api('GET', `/v1/tokens/${result.token}`, { key: world.keys.test.secret_key })
    expect(stored.status).toBe(200)
    expect(stored.body).toMatchObject({ token: result.token, customer_id: 'c_1', card: { last4: '4242', exp_month: 12, exp_year: 2030, name: 'Paul Smith' } })
    expect(errors).toEqual([])
    await page.close()
  })
})
