// Issue 17, item 3: every language in a real browser, chosen by `locale` or the page's `lang`;
// only the chosen language's chunk is fetched from the vault.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ELEMENT_TEXTS } from '../../widget/element/texts.js'
import { loadMessages } from '../../widget/frame/i18n/index.js'
import { LOCALES } from '../../widget/protocol.js'
import { axeViolations } from './support/axe.js'
import { describeInBrowser } from './support/chromium.js'
import { merchantPage } from './support/host-server.js'
import { cardFrame, EVENT_RECORDER, startWorld, typeCard, waitForEvent, type World } from './support/world.js'

describeInBrowser('languages', () => {
  let world: World

  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(() => world?.close())

  async function open(locale: string, how: 'attribute' | 'page lang') {
    const page = await world.browser.newPage()
    const chunks: string[] = []
    page.on('request', (r) => /\/frame\/i18n-/.test(r.url()) && chunks.push(r.url()))
    const attribute = how === 'attribute' ? `locale="${locale}"` : ''
    let html = merchantPage(world.vault.url, `<tessera-card publishable-key="${world.keys.test.publishable_key}" ${attribute}></tessera-card>`, EVENT_RECORDER)
    if (how === 'page lang') html = html.replace('<html', `<html lang="${locale}-XX"`)
    await page.goto(world.host.page(`/l${Math.random().toString(36).slice(2)}`, html))
    await waitForEvent(page, 'tessera-ready')
    return { page, frame: await cardFrame(page), chunks }
  }

  it.each(LOCALES.map((locale, i) => [locale, i % 2 === 0 ? 'attribute' : 'page lang'] as const))('speaks %s (chosen by %s)', async (locale, how) => {
    const messages = await loadMessages(locale)
    const { page, frame, chunks } = await open(locale, how)
    expect(await frame.evaluate(() => document.documentElement.lang)).toBe(locale)
    expect(await frame.locator('label[for=number]').textContent()).toBe(messages.labels.number)
    expect(await frame.locator('#expiry').getAttribute('placeholder')).toBe(messages.placeholders.expiry)
    expect(await page.locator('tessera-card iframe').getAttribute('title')).toBe(ELEMENT_TEXTS[locale].title)
    await typeCard(frame, { number: '4242424242424241', expiry: '0120', cvc: '12' })
    await frame.locator('#cvc').press('Tab')
    expect(await frame.locator('#number-error').textContent()).toBe(messages.errors.invalid_number)
    expect(await frame.locator('#expiry-error').textContent()).toBe(messages.errors.expired_card)
    expect(await frame.locator('#cvc-error').textContent()).toBe(messages.errors.incomplete_cvc)
    expect(await page.evaluate(() => document.querySelector('tessera-card')!.validationMessage)).toBe(messages.errors.invalid_number)
    // Only this language's texts travelled (English is in the frame's script).
    expect(chunks.map((url) => url.replace(/^.*\/frame\/i18n-([a-z]+)-.*$/, '$1'))).toEqual(locale === 'en' ? [] : [locale])
    expect(await axeViolations(frame)).toEqual([])
    await page.close()
  })
})
