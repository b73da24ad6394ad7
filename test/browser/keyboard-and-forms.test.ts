// Scenarios 5 and 8 of issue 3: Tab order from the host page through the frame and out again;
// form association (validity, submitted token, <label for>), also inside another shadow root.
import type { Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeInBrowser } from './support/chromium.js'
import { merchantPage } from './support/host-server.js'
import { cardFrame, EVENT_RECORDER, recordedEvents, startWorld, typeCard, waitForEvent, type World } from './support/world.js'

const activeInFrame = (frame: Frame) => frame.evaluate(() => document.activeElement?.id ?? null)
const activeInPage = (page: Page) => page.evaluate(() => document.activeElement?.id ?? null)

/** A wrapper component whose own shadow root holds the form, the label and the card field. */
const CHECKOUT_BOX = (key: string) => `<script>
customElements.define('checkout-box', class extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = '<form method="post" action="/shadow-pay"><label for="card">Card</label>'
      + '<tessera-card id="card" name="card_token" publishable-key="${key}"></tessera-card><button>Pay</button></form>';
  }
});
</script>`

describeInBrowser('keyboard and forms', () => {
  let world: World

  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(() => world?.close())

  it('tabs from a host input through number, expiry, CVC and name to the next host input, and back', async () => {
    const body = `<input id="before" aria-label="Before"><tessera-card publishable-key="${world.keys.test.publishable_key}"></tessera-card><input id="after" aria-label="After">`
    const page = await world.browser.newPage()
    await page.goto(world.host.page('/tabs', merchantPage(world.vault.url, body, EVENT_RECORDER)))
    await waitForEvent(page, 'tessera-ready')
    const frame = await cardFrame(page)
    await page.focus('#before')

    /** Presses `key` four times and says where focus is inside the frame after each press. */
    const walk = async (key: string) => {
      const seen: (string | null)[] = []
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press(key)
        seen.push(await activeInFrame(frame))
      }
      return seen
    }
    expect(await walk('Tab')).toEqual(['number', 'expiry', 'cvc', 'name'])
    await page.keyboard.press('Tab')
    expect(await activeInPage(page)).toBe('after')
    expect(await walk('Shift+Tab')).toEqual(['name', 'cvc', 'expiry', 'number'])
    await page.keyboard.press('Shift+Tab')
    expect(await activeInPage(page)).toBe('before')

    const fields = async (type: string) => (await recordedEvents(page)).filter((e) => e.type === type).map((e) => e.detail.field)
    expect(await fields('tessera-focus')).toEqual(['number', 'expiry', 'cvc', 'name', 'name', 'cvc', 'expiry', 'number'])
    expect(await fields('tessera-blur')).toEqual(['number', 'expiry', 'cvc', 'name', 'name', 'cvc', 'expiry', 'number'])
    await page.close()
  })

  it('is invalid until tokenized, focuses the number from its label, and submits the token under its name', async () => {
    const body = `<form method="post" action="/pay"><label for="card">Card</label>
      <tessera-card id="card" name="card_token" publishable-key="${world.keys.test.publishable_key}"></tessera-card>
      <button id="pay">Pay</button></form>`
    const page = await world.browser.newPage()
    await page.goto(world.host.page('/form', merchantPage(world.vault.url, body, EVENT_RECORDER)))
    await waitForEvent(page, 'tessera-ready')
    const frame = await cardFrame(page)
    const validity = () => page.evaluate(() => {
      const card = document.getElementById('card') as any
      return { valid: card.validity.valid, message: card.validationMessage, form: card.form?.getAttribute('action') }
    })
    expect(await validity()).toEqual({ valid: false, message: 'Enter your card details.', form: '/pay' })

    await page.click('label[for=card]')
    await frame.waitForFunction(() => document.activeElement?.id === 'number')
    await page.keyboard.type('4242424242424242')
    expect(await frame.locator('#number').inputValue()).toBe('4242 4242 4242 4242')
    await typeCard(frame, { expiry: '1230', cvc: '123' })
    expect(await validity()).toMatchObject({ valid: false, message: 'Your card has not been saved yet.' })

    // An invalid element keeps the form from submitting.
    await page.click('#pay')
    await page.waitForTimeout(200)
    expect(world.host.posts.filter((p) => p.path === '/pay')).toEqual([])

    const token = await page.evaluate(async () => (await (document.getElementById('card') as any).tokenize()).token)
    expect(await validity()).toMatchObject({ valid: true, message: '' })
    expect(await page.evaluate(() => new FormData(document.querySelector('form')!).get('card_token'))).toBe(token)
    await Promise.all([page.waitForURL('**/pay'), page.click('#pay')])
    expect(world.host.posts.filter((p) => p.path === '/pay')).toEqual([{ path: '/pay', body: `card_token=${token}` }])
    await page.close()
  })

  it('forgets the token when the customer edits the card, and empties on form reset', async () => {
    const body = `<form><tessera-card id="card" name="card_token" publishable-key="${world.keys.test.publishable_key}"></tessera-card></form>`
    const page = await world.browser.newPage()
    await page.goto(world.host.page('/edit', merchantPage(world.vault.url, body, EVENT_RECORDER)))
    await waitForEvent(page, 'tessera-ready')
    const frame = await cardFrame(page)
    await typeCard(frame, { number: '4242424242424242', expiry: '1230', cvc: '123' })
    await page.evaluate(() => (document.getElementById('card') as any).tokenize())
    expect(await page.evaluate(() => new FormData(document.querySelector('form')!).get('card_token'))).toMatch(/./)

    await frame.locator('#cvc').press('Backspace')
    await page.waitForFunction(() => !(document.getElementById('card') as any).validity.valid)
    expect(await page.evaluate(() => new FormData(document.querySelector('form')!).get('card_token'))).toBeNull()

    await page.evaluate(() => document.querySelector('form')!.reset())
    await frame.waitForFunction(() => (document.getElementById('number') as HTMLInputElement).value === '')
    expect(await page.evaluate(() => (document.getElementById('card') as any).validationMessage)).toBe('Enter your card details.')
    await page.close()
  })

  it('works inside another component\'s shadow root with its label and form', async () => {
    const page = await world.browser.newPage()
    const head = EVENT_RECORDER + CHECKOUT_BOX(world.keys.test.publishable_key)
    await page.goto(world.host.page('/shadow', merchantPage(world.vault.url, '<checkout-box></checkout-box>', head)))
    await waitForEvent(page, 'tessera-ready')
    const frame = await cardFrame(page, 'checkout-box tessera-card')

    await page.click('checkout-box label')
    await frame.waitForFunction(() => document.activeElement?.id === 'number')
    await page.keyboard.type('5555555555554444')
    await typeCard(frame, { expiry: '1230', cvc: '123' })

    const token = await page.evaluate(async () => {
      const root = document.querySelector('checkout-box')!.shadowRoot!
      return (await (root.getElementById('card') as any).tokenize()).token
    })
    const form = await page.evaluate(() => {
      const root = document.querySelector('checkout-box')!.shadowRoot!
      return { value: new FormData(root.querySelector('form')!).get('card_token'), valid: (root.getElementById('card') as any).validity.valid }
    })
    expect(form).toEqual({ value: token, valid: true })
    await Promise.all([page.waitForURL('**/shadow-pay'), page.click('checkout-box button')])
    expect(world.host.posts.find((p) => p.path === '/shadow-pay')?.body).toBe(`card_token=${token}`)
    await page.close()
  })

  it('sends focus to the first field to fix when a submit is refused', async () => {
    const body = `<form><tessera-card id="card" name="card_token" publishable-key="${world.keys.test.publishable_key}"></tessera-card><button id="pay">Pay</button></form>`
    const page = await world.browser.newPage()
    await page.goto(world.host.page('/refused', merchantPage(world.vault.url, body, EVENT_RECORDER)))
    await waitForEvent(page, 'tessera-ready')
    const frame = await cardFrame(page)
    await typeCard(frame, { number: '4242424242424242' })
    await page.click('#pay')
    await frame.waitForFunction(() => document.activeElement?.id === 'expiry')
    await page.close()
  })

  it('lets the shopper choose a field right after a label click or focus(): nothing pulls focus back', async () => {
    const body = `<label for="card">Card</label><tessera-card id="card" publishable-key="${world.keys.test.publishable_key}"></tessera-card><input id="elsewhere" aria-label="Elsewhere">`
    const page = await world.browser.newPage({ viewport: { width: 800, height: 900 } })
    await page.goto(world.host.page('/focus-race', merchantPage(world.vault.url, body, EVENT_RECORDER)))
    await waitForEvent(page, 'tessera-ready')
    const frame = await cardFrame(page)
    for (const start of ['label', 'focus()'] as const) {
      if (start === 'label') await page.click('label[for=card]')
      else await page.evaluate(() => (document.getElementById('card') as HTMLElement).focus())
      await frame.waitForFunction(() => document.activeElement?.id === 'number')
      // Within the old one-second hold: leave the field, come back to the CVC and type.
      await page.click('#elsewhere')
      await frame.locator('#cvc').click()
      await page.keyboard.type('123')
      expect(await frame.locator('#cvc').inputValue()).toBe('123')
      expect(await frame.locator('#number').inputValue()).toBe('')
      expect(await activeInFrame(frame)).toBe('cvc')
      await frame.locator('#cvc').fill('')
    }
    // Straight from the label into the name field, without leaving the frame first.
    await page.click('label[for=card]')
    await frame.waitForFunction(() => document.activeElement?.id === 'number')
    await frame.locator('#name').click()
    await page.keyboard.type('Ada')
    expect(await frame.locator('#name').inputValue()).toBe('Ada')
    expect(await frame.locator('#number').inputValue()).toBe('')
    await page.close()
  })

  it('disables its inputs with the disabled attribute and inside a disabled fieldset', async () => {
    const body = `<form><fieldset id="set"><tessera-card id="card" publishable-key="${world.keys.test.publishable_key}"></tessera-card></fieldset></form>`
    const page = await world.browser.newPage()
    await page.goto(world.host.page('/disabled', merchantPage(world.vault.url, body, EVENT_RECORDER)))
    await waitForEvent(page, 'tessera-ready')
    const frame = await cardFrame(page)
    const disabled = () => frame.evaluate(() => Array.from(document.querySelectorAll('input')).map((i) => i.disabled))
    expect(await disabled()).toEqual([false, false, false, false])

    await page.evaluate(() => document.getElementById('card')!.setAttribute('disabled', ''))
    await frame.waitForFunction(() => (document.getElementById('number') as HTMLInputElement).disabled)
    await page.evaluate(() => document.getElementById('card')!.removeAttribute('disabled'))
    await frame.waitForFunction(() => !(document.getElementById('number') as HTMLInputElement).disabled)

    await page.evaluate(() => (document.getElementById('set') as HTMLFieldSetElement).disabled = true)
    await frame.waitForFunction(() => (document.getElementById('cvc') as HTMLInputElement).disabled)
    expect(await disabled()).toEqual([true, true, true, true])
    await page.close()
  })
})
