// Issue 17, item 2: what a developer got wrong (a secret key in the page, an unknown key, no key)
// goes to tessera-error (with its reason) and the console; the shopper sees one short localised
// line where the field would be, no developer text and no blank box. A key that is not a pk_ key
// is refused in the page: a secret key never travels in the frame's URL.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { axeViolations } from './support/axe.js'
import { describeInBrowser } from './support/chromium.js'
import { merchantPage } from './support/host-server.js'
import { EVENT_RECORDER, recordedEvents, startWorld, tokenizeInPage, waitForEvent, type World } from './support/world.js'

describeInBrowser('a card field that cannot start', () => {
  let world: World

  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(() => world?.close())

  async function open(attributes: string, lang = 'en') {
    const page = await world.browser.newPage()
    const console: string[] = []
    const requested: string[] = []
    page.on('console', (m) => m.type() === 'error' && console.push(m.text()))
    page.on('request', (r) => requested.push(r.url()))
    const body = `<main><h1>Checkout</h1><tessera-card ${attributes}></tessera-card><p id="after">after</p></main>`
    const html = merchantPage(world.vault.url, body, EVENT_RECORDER).replace('<html', `<html lang="${lang}"`)
    await page.goto(world.host.page(`/s${Math.random().toString(36).slice(2)}`, html))
    return { page, console, requested }
  }

  it.each([
    ['a secret key', () => `publishable-key="${world.keys.test.secret_key}"`, 'secret_key_in_browser', /secret key/i],
    ['a restricted key', () => 'publishable-key="rk_test_0123456789abcdef0123"', 'secret_key_in_browser', /secret key/i],
    ['a value that is not a pk_ key', () => 'publishable-key="test_0123456789abcdef"', 'invalid_api_key', /not a pk_ key/],
    ['an unknown key', () => 'publishable-key="pk_test_unknown000000000000"', 'invalid_api_key', /not recognised/],
    ['no publishable-key at all', () => '', 'publishable_key_missing', /publishable-key attribute is missing/],
  ])('with %s: tessera-error and the console say why, the page shows one line', async (_, attributes, reason, developerText) => {
    const { page, console, requested } = await open(attributes())
    const started = Date.now()
    const error = await waitForEvent(page, 'tessera-error')
    expect(Date.now() - started).toBeLessThan(3000)
    expect(error.detail).toMatchObject({ code: 'frame_unavailable', reason, message: expect.stringMatching(developerText) })
    await expect.poll(() => console.some((line) => developerText.test(line) && line.includes(reason))).toBe(true)

    const card = page.locator('tessera-card')
    await expect.poll(() => page.locator('tessera-card .unavailable').innerText()).toBe('Card payment is not available right now.')
    const height = await card.evaluate((el) => el.getBoundingClientRect().height)
    expect(height).toBeGreaterThan(0)
    expect(height).toBeLessThan(40)
    expect(await page.locator('body').innerText()).not.toMatch(developerText)
    expect(await tokenizeInPage(page)).toMatchObject({ ok: false, code: 'frame_unavailable', reason })
    expect((await recordedEvents(page)).filter((e) => e.type === 'tessera-error')).toHaveLength(1)
    // Only a pk_ key ever leaves the page: anything else is refused before a request is made.
    const key = /publishable-key="([^"]*)"/.exec(attributes())?.[1]
    if (key && !key.startsWith('pk_')) expect(requested.filter((url) => url.includes(key) || url.includes('/frame/card'))).toEqual([])
    expect(await axeViolations(page.mainFrame())).toEqual([])
    await page.close()
  })

  it('says it in the page language', async () => {
    const { page } = await open(`publishable-key="${world.keys.test.secret_key}"`, 'ro')
    await waitForEvent(page, 'tessera-error')
    await expect.poll(() => page.locator('tessera-card .unavailable').innerText()).toBe('Plata cu cardul nu este disponibilă momentan.')
    await page.close()
  })
})
