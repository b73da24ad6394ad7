// Scenarios 6 and 7 of issue 3: localised, announced field errors (checked with axe-core too),
// and styling through the allow-listed custom properties only.
import type { Frame } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { axeViolations } from './support/axe.js'
import { describeInBrowser } from './support/chromium.js'
import { merchantPage } from './support/host-server.js'
import { cardFrame, EVENT_RECORDER, recordedEvents, startWorld, typeCard, waitForEvent, type World } from './support/world.js'

const fieldView = (frame: Frame, field: string) =>
  frame.evaluate((id) => {
    const input = document.getElementById(id)!
    const error = document.getElementById(input.getAttribute('aria-describedby')!)!
    return { invalid: input.getAttribute('aria-invalid'), text: error.textContent, live: error.getAttribute('aria-live') }
  }, field)

describeInBrowser('errors, languages and styling', () => {
  let world: World

  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(() => world?.close())

  async function openCard(attributes = '', head = '') {
    const body = `<tessera-card publishable-key="${world.keys.test.publishable_key}" ${attributes}></tessera-card><input id="after" aria-label="After">`
    const page = await world.browser.newPage()
    await page.goto(world.host.page(`/p${Math.random().toString(36).slice(2)}`, merchantPage(world.vault.url, body, EVENT_RECORDER + head)))
    await waitForEvent(page, 'tessera-ready')
    return { page, frame: await cardFrame(page) }
  }

  async function typeBadCard(frame: Frame) {
    await typeCard(frame, { number: '4242424242424241', expiry: '0120', cvc: '12' })
    await frame.locator('#cvc').press('Tab')
  }

  it('shows English errors for a bad Luhn, a past expiry and a short CVC, marked invalid and announced', async () => {
    const { page, frame } = await openCard()
    expect(await axeViolations(frame)).toEqual([])
    const frameHeight = () => page.locator('tessera-card iframe').evaluate((iframe) => iframe.getBoundingClientRect().height)
    const before = await frameHeight()
    await typeBadCard(frame)
    // The frame grows with its error texts and the element follows.
    const content = await frame.evaluate(() => Math.ceil(document.querySelector('main')!.getBoundingClientRect().height))
    await expect.poll(frameHeight).toBe(content)
    expect(content).toBeGreaterThan(before)

    expect(await fieldView(frame, 'number')).toEqual({ invalid: 'true', text: 'Your card number is invalid.', live: 'polite' })
    expect(await fieldView(frame, 'expiry')).toEqual({ invalid: 'true', text: 'Your card has expired.', live: 'polite' })
    expect(await fieldView(frame, 'cvc')).toEqual({ invalid: 'true', text: "Your card's security code is incomplete.", live: 'polite' })
    expect(await fieldView(frame, 'name')).toEqual({ invalid: 'false', text: '', live: 'polite' })

    const changes = (await recordedEvents(page)).filter((e) => e.type === 'tessera-change')
    expect(changes.at(-1)!.detail).toMatchObject({
      complete: false,
      brand: 'visa',
      errors: { number: { code: 'invalid_number' }, expiry: { code: 'expired_card' }, cvc: { code: 'incomplete_cvc' } },
    })
    const tokenize = await page.evaluate(() => document.querySelector('tessera-card')!.tokenize().catch((e: any) => ({ code: e.code, param: e.param, message: e.message })))
    expect(tokenize).toEqual({ code: 'invalid_number', param: 'number', message: 'Your card number is invalid.' })
    expect(await axeViolations(frame)).toEqual([])
    await page.close()
  })

  it('calls a 13th month invalid at once, keeps it as typed, and fires tessera-change only on a change', async () => {
    const { page, frame } = await openCard()
    await typeCard(frame, { expiry: '13' })
    expect(await frame.locator('#expiry').inputValue()).toBe('13 / ')
    expect(await fieldView(frame, 'expiry')).toMatchObject({ invalid: 'true', text: "Your card's expiry date is invalid." })
    await frame.locator('#expiry').pressSequentially('20')
    expect(await frame.locator('#expiry').inputValue()).toBe('13 / 20')
    expect((await fieldView(frame, 'expiry')).text).toBe("Your card's expiry date is invalid.")

    const changes = async () => (await recordedEvents(page)).filter((e) => e.type === 'tessera-change').map((e) => JSON.stringify(e.detail))
    const before = await changes()
    // The name changes nothing the page can see: no event for each letter.
    await typeCard(frame, { name: 'Ada Lovelace' })
    await page.waitForTimeout(100)
    expect(await changes()).toEqual(before)
    await page.evaluate(() => document.querySelector('tessera-card')!.clear())
    await page.waitForFunction((n) => (window as any).tesseraEvents.filter((e: any) => e.type === 'tessera-change').length > n, before.length)
    const after = await changes()
    expect(JSON.parse(after.at(-1)!)).toMatchObject({ empty: true, errors: {} })
    for (let i = 1; i < after.length; i++) expect(after[i]).not.toBe(after[i - 1])
    await page.close()
  })

  it('speaks Romanian with locale="ro"', async () => {
    const { page, frame } = await openCard('locale="ro"')
    expect(await frame.evaluate(() => document.documentElement.lang)).toBe('ro')
    expect(await frame.locator('label[for=number]').textContent()).toBe('Numărul cardului')
    expect(await page.locator('tessera-card iframe').getAttribute('title')).toBe('Câmp securizat pentru datele cardului')
    await typeBadCard(frame)
    expect((await fieldView(frame, 'number')).text).toBe('Numărul cardului nu este valid.')
    expect((await fieldView(frame, 'expiry')).text).toBe('Cardul a expirat.')
    expect((await fieldView(frame, 'cvc')).text).toBe('Codul de securitate este incomplet.')
    expect(await page.evaluate(() => document.querySelector('tessera-card')!.validationMessage)).toBe('Numărul cardului nu este valid.')
    expect(await axeViolations(frame)).toEqual([])
    await page.close()
  })

  it('switches language when the locale attribute changes', async () => {
    const { page, frame } = await openCard()
    await typeBadCard(frame)
    await page.evaluate(() => document.querySelector('tessera-card')!.setAttribute('locale', 'ro'))
    await frame.waitForFunction(() => document.getElementById('number-error')!.textContent === 'Numărul cardului nu este valid.')
    expect(await frame.locator('label[for=cvc]').textContent()).toBe('Cod de securitate')
    await page.close()
  })

  it('lets allow-listed custom properties style the inputs and keeps url() values out of the frame', async () => {
    const css = `<style>tessera-card {
      --tessera-color: rgb(1, 2, 3); --tessera-font-size: 18px; --tessera-border-radius: 2px; --tessera-border-color: rgb(255, 0, 0);
      --tessera-background: url(https://evil.example/track.png); --tessera-secret: rgb(9, 9, 9);
    }</style>`
    const { page, frame } = await openCard('', css)
    const requests: string[] = []
    page.on('request', (r) => requests.push(r.url()))
    const style = () =>
      frame.evaluate(() => {
        const input = getComputedStyle(document.getElementById('number')!)
        const root = document.documentElement.style
        return {
          color: input.color,
          fontSize: input.fontSize,
          radius: input.borderTopLeftRadius,
          border: input.borderTopColor,
          backgroundImage: input.backgroundImage,
          backgroundColor: input.backgroundColor,
          passed: Array.from(root).filter((name) => name.startsWith('--')).sort(),
        }
      })
    await frame.waitForFunction(() => getComputedStyle(document.getElementById('number')!).color === 'rgb(1, 2, 3)')
    expect(await style()).toEqual({
      color: 'rgb(1, 2, 3)',
      fontSize: '18px',
      radius: '2px',
      border: 'rgb(255, 0, 0)',
      backgroundImage: 'none',
      backgroundColor: 'rgb(255, 255, 255)',
      passed: ['--tessera-border-color', '--tessera-border-radius', '--tessera-color', '--tessera-font-size'],
    })

    await page.evaluate(() => {
      const card = document.querySelector('tessera-card')!
      card.style.setProperty('--tessera-color', 'rgb(4, 5, 6)')
      card.refreshStyles()
    })
    await frame.waitForFunction(() => getComputedStyle(document.getElementById('number')!).color === 'rgb(4, 5, 6)')
    expect(requests.filter((url) => url.includes('evil.example'))).toEqual([])
    await page.close()
  })
})
