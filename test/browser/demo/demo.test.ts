// Issue 6: the whole demo through its pages in headless Chromium, started as `npm start` starts
// it (three processes on free ports; the shop on another origin than the vault). A customer pays
// with a new card and saves it, pays again with one click, meets a decline, revokes the card,
// and the shop's webhook page shows every event verified. axe-core checks every page, in the
// states the journey left, on a desktop and a phone. The demo's start, its pages' CSP, the
// hosted payment page and Ctrl-C: demo-start-and-hosted.test.ts.
//
// TESSERA_DEMO_SCREENSHOTS=docs/screenshots npx vitest run test/browser/demo  refreshes the
// README's screenshots from this same flow.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { axeViolations } from '../support/axe.js'
import { describeInBrowser, launchChromium } from '../support/chromium.js'
import { cardFrame, typeCard } from '../support/world.js'
import { startDemo, type RunningDemo } from './support/demo-processes.js'
import { CARD_PAGES, checkEveryPage, PAGES, recordReady, Shopper, waitForReady } from './support/shopper.js'

const SCREENSHOTS = process.env.TESSERA_DEMO_SCREENSHOTS

describeInBrowser('the demo shop', () => {
  let demo: RunningDemo
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let shopper: Shopper
  const pageErrors: string[] = []

  beforeAll(async () => {
    ;[demo, browser] = await Promise.all([startDemo(), launchChromium()])
    // Tall enough that nothing scrolls: a click after a scroll can land in the card iframe (BROWSER.md).
    context = await browser.newContext({ viewport: { width: 1280, height: 1400 } })
    await recordReady(context)
    page = await context.newPage()
    page.on('pageerror', (e) => pageErrors.push(e.message))
    shopper = new Shopper(demo, page, SCREENSHOTS)
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    if (demo && demo.child.exitCode === null) await demo.stop('SIGTERM')
  })

  it('pays at checkout with a new card and saves it for the signed-in customer', async () => {
    expect(await shopper.openCardPage('/checkout')).toEqual({ savedCards: 0 })
    // The loader comes from the vault, pinned by the hash the vault publishes.
    const sri = await (await fetch(`${demo.vaultUrl}/v1/tessera.js.sri`)).text()
    expect(await page.locator(`script[src="${demo.vaultUrl}/v1/tessera.js"]`).getAttribute('integrity')).toBe(sri)

    const frame = await cardFrame(page)
    await typeCard(frame, { number: '4242424242424242', expiry: '1230', cvc: '123', name: 'Ada Lovelace' })
    // Saving needs consent: the box starts unticked.
    expect(await page.locator('#save').isChecked()).toBe(false)
    await page.locator('#save').check()
    await shopper.shoot('checkout.png')
    const receipt = await shopper.pay()
    expect(receipt).toContain('Payment successful')
    expect(receipt).toContain('€75.45 paid with Visa •••• 4242. The card is saved for one-click checkout.')

    await page.goto(demo.shopUrl + '/saved-cards')
    const rows = page.locator('table tbody tr')
    expect(await rows.count()).toBe(1)
    expect(await rows.first().innerText()).toMatch(/Visa\s+•••• 4242\s+12\/30\s+active/)
  })

  it('pays again with one click from the saved card, as a customer-initiated payment', async () => {
    expect(await shopper.openCardPage('/one-click')).toEqual({ savedCards: 1 })
    const frame = await cardFrame(page)
    // The brand mark (an aria-hidden SVG) draws "VISA"; what is read is the text after it.
    expect(await frame.locator('.saved-option').allTextContents()).toEqual([expect.stringMatching(/Visa ending in 4242, expires 12\/30$/), 'Use a new card'])
    await shopper.shoot('one-click.png')
    const receipt = await shopper.pay()
    expect(receipt).toContain('€75.45 paid with Visa •••• 4242.')
    const paymentId = await page.locator('#pay-status a.mono').innerText()

    await page.goto(`${demo.shopUrl}/tokens?id=${paymentId}`)
    const json = JSON.parse(await page.locator('pre.json').innerText())
    expect(json).toMatchObject({ object: 'payment', id: paymentId, status: 'captured', amount: 7545, currency: 'EUR', initiator: 'customer' })
  })

  it('runs 3-D Secure at checkout with the challenge card: the bank in a dialog, Complete, then paid', async () => {
    await page.goto(demo.shopUrl + '/test-cards')
    expect(await page.locator('table').last().innerText()).toContain('4000 0000 0000 3220')
    await shopper.openCardPage('/checkout')
    await typeCard(await cardFrame(page), { number: '4000000000003220', expiry: '1230', cvc: '123', name: 'Ada Lovelace' })
    await page.locator('#save').uncheck()
    await page.click('#pay-button')
    await page.frameLocator('tessera-three-d-secure iframe').frameLocator('#challenge').getByRole('button', { name: 'Complete' }).click()
    const notice = page.locator('#pay-status .notice')
    await notice.waitFor({ timeout: 20_000 })
    expect(await notice.innerText()).toContain('€75.45 paid with Visa •••• 3220.')
  })

  it("refuses to charge another customer's saved card offered by a tampered page", async () => {
    await page.goto(demo.shopUrl + '/saved-cards')
    const adasToken = new URL((await page.locator('a.token-link').first().getAttribute('href'))!, demo.shopUrl).searchParams.get('id')
    await shopper.signInAs('cus_grace')
    const answer = await page.evaluate(async (token) => {
      const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')!.content
      const res = await fetch('/api/one-click', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ token, attempt: crypto.randomUUID() }) })
      return { status: res.status, body: await res.json() }
    }, adasToken)
    expect(answer).toEqual({ status: 404, body: { error: { code: 'token_not_found', message: 'No such saved card.' } } })
    await shopper.signInAs('cus_ada')
  })

  it('shows the decline of a declined card, and keeps no card that never paid', async () => {
    await shopper.openCardPage('/checkout')
    const frame = await cardFrame(page)
    await typeCard(frame, { number: '4000000000000002', expiry: '1230', cvc: '123' })
    await page.locator('#save').check()
    const notice = await shopper.pay()
    expect(notice).toContain('Payment declined')
    expect(notice).toContain('Your bank declined the payment.')
    expect(notice).not.toContain('do_not_honor')
    expect(notice).toContain('Visa •••• 0002 was not charged')

    await page.goto(demo.shopUrl + '/saved-cards')
    expect(await page.locator('table tbody').innerText()).not.toContain('0002')
  })

  it('retries a failed payment under the same idempotency key and token, and starts a new attempt for a new card', async () => {
    await shopper.openCardPage('/checkout')
    const frame = await cardFrame(page)
    const sent: { token: string; attempt: string }[] = []
    page.on('request', (r) => r.url().endsWith('/api/checkout') && sent.push(JSON.parse(r.postData() ?? '{}')))
    await typeCard(frame, { number: '4000000000000119', expiry: '1230', cvc: '123' })
    await page.locator('#save').check()
    expect(await shopper.pay()).toContain('Payment failed')
    expect(await shopper.pay()).toContain('Payment failed')
    expect(sent).toHaveLength(2)
    expect(sent[1]).toEqual(sent[0])
    // Kept while it may be retried...
    const stored = async (token: string) => (await fetch(`${demo.vaultUrl}/v1/tokens/${token}`, { headers: { authorization: `Bearer ${secretKey}` } })).status
    const secretKey = shopper.everydaySecretKey()
    expect(await stored(sent[0]!.token)).toBe(200)
    // The customer changes the card (and unticks Save): a new token, so a new attempt.
    await frame.locator('#number').fill('')
    await typeCard(frame, { number: '4242424242424242' })
    await page.locator('#save').uncheck()
    expect(await shopper.pay()).toContain('Payment successful')
    expect(sent).toHaveLength(3)
    expect(sent[2]!.attempt).not.toBe(sent[0]!.attempt)
    expect(sent[2]!.token).not.toBe(sent[0]!.token)
    // ...and forgotten once the shopper moved on: it never paid.
    expect(await stored(sent[0]!.token)).not.toBe(200)
    await shopper.openCardPage('/one-click')
    expect(await (await cardFrame(page)).locator('.saved-option').allTextContents()).not.toContainEqual(expect.stringContaining('0119'))
  })

  it('revokes a saved card through the shop, and it disappears from one-click', async () => {
    await page.goto(demo.shopUrl + '/saved-cards')
    await page.getByRole('button', { name: 'Revoke Visa ending in 4242' }).click()
    await page.waitForURL(/done=revoked/)
    expect(await page.locator('.notice-success').innerText()).toContain('revoked')
    expect(await page.locator('table tbody tr').first().innerText()).toContain('revoked')

    expect(await shopper.openCardPage('/one-click')).toEqual({ savedCards: 0 })
    expect(await page.locator('.intro').innerText()).toContain('Ada Lovelace has no saved cards')
    const frame = await cardFrame(page)
    expect(await frame.locator('.saved-option').count()).toBe(0)
    expect(await frame.locator('#number').isVisible()).toBe(true)
  })

  it('retries a failed payment with "Save this card" unticked under the same token, kept until the shopper moves on', async () => {
    await shopper.openCardPage('/checkout')
    const frame = await cardFrame(page)
    const sent: { token: string; attempt: string }[] = []
    const record = (r: { url(): string; postData(): string | null }) => r.url().endsWith('/api/checkout') && sent.push(JSON.parse(r.postData() ?? '{}'))
    page.on('request', record)
    await typeCard(frame, { number: '4000000000000119', expiry: '1230', cvc: '123' })
    expect(await page.locator('#save').isChecked()).toBe(false)
    expect(await shopper.pay()).toContain('The card acquirer is unavailable')
    // The retry reaches the acquirer again with the same token and key (not "No such token").
    expect(await shopper.pay()).toContain('The card acquirer is unavailable')
    expect(sent).toHaveLength(2)
    expect(sent[1]).toEqual(sent[0])
    const secretKey = shopper.everydaySecretKey()
    const stored = async (token: string) => (await fetch(`${demo.vaultUrl}/v1/tokens/${token}`, { headers: { authorization: `Bearer ${secretKey}` } })).status
    expect(await stored(sent[0]!.token)).toBe(200)
    await frame.locator('#number').fill('')
    await typeCard(frame, { number: '4242424242424242' })
    expect(await shopper.pay()).toContain('Payment successful')
    page.off('request', record)
    expect(sent[2]!.token).not.toBe(sent[0]!.token)
    // Neither the given-up card nor the one that paid unsaved is kept.
    expect(await stored(sent[0]!.token)).toBe(404)
    expect(await stored(sent[2]!.token)).toBe(404)
  })

  it('saves a new card typed at one-click only with "Save this card" ticked, and only once it has paid', async () => {
    expect(await shopper.openCardPage('/one-click')).toEqual({ savedCards: 0 })
    let frame = await cardFrame(page)
    // No saved card to choose: the box for the new card shows, unticked.
    expect(await page.locator('#save').isVisible()).toBe(true)
    expect(await page.locator('#save').isChecked()).toBe(false)
    await typeCard(frame, { number: '5555555555554444', expiry: '0431', cvc: '123', name: 'Ada Lovelace' })
    expect(await shopper.pay()).toContain('€75.45 paid with Mastercard •••• 4444.')
    expect(await shopper.openCardPage('/one-click')).toEqual({ savedCards: 0 })

    frame = await cardFrame(page)
    await typeCard(frame, { number: '5555555555554444', expiry: '0431', cvc: '123', name: 'Ada Lovelace' })
    await page.locator('#save').check()
    expect(await shopper.pay()).toContain('€75.45 paid with Mastercard •••• 4444.')
    expect(await shopper.openCardPage('/one-click')).toEqual({ savedCards: 1 })
    frame = await cardFrame(page)
    expect(await frame.locator('.saved-option').allTextContents()).toEqual(['Mastercard ending in 4444, expires 04/31', 'Use a new card'])
    // A saved card is chosen: the box is for a new card only.
    expect(await page.locator('#save').isVisible()).toBe(false)

    // A new card whose payment failed, even with the box ticked, is not offered next time.
    await frame.locator('.saved-option', { hasText: 'Use a new card' }).click()
    await expect.poll(() => page.locator('#save').isVisible()).toBe(true)
    await typeCard(frame, { number: '4000000000000119', expiry: '1230', cvc: '123' })
    await page.locator('#save').check()
    expect(await shopper.pay()).toContain('Payment failed')
    expect(await shopper.openCardPage('/one-click')).toEqual({ savedCards: 1 })
    expect(await (await cardFrame(page)).locator('.saved-option').allTextContents()).not.toContainEqual(expect.stringContaining('0119'))
  })

  it('pays with no saved card when Pay is pressed on an empty checkout field', async () => {
    await shopper.openCardPage('/checkout')
    await page.locator('#save').check()
    const notice = await shopper.pay()
    expect(notice).toContain('Card not accepted')
    expect(await (await cardFrame(page)).locator('.saved-option').count()).toBe(0)
  })

  it('keeps no card paid at checkout with "Save this card" unticked', async () => {
    await shopper.openCardPage('/checkout')
    const frame = await cardFrame(page)
    await typeCard(frame, { number: '6011111111111117', expiry: '1230', cvc: '123' })
    expect(await page.locator('#save').isChecked()).toBe(false)
    const receipt = await shopper.pay()
    expect(receipt).toContain('paid with Discover •••• 1117.')
    expect(receipt).not.toContain('saved')
    await page.goto(demo.shopUrl + '/saved-cards')
    expect(await page.locator('table tbody').innerText()).not.toContain('1117')
  })

  it('lists the webhooks it received, each verified with the signature helper, and marks a forgery', async () => {
    const wanted = ['token.created', 'payment.captured', 'payment.declined', 'token.deleted', 'token.revoked']
    let types: string[] = []
    await expect
      .poll(
        async () => {
          await page.goto(demo.shopUrl + '/webhooks')
          types = await page.locator('#webhook-events .event-type').allInnerTexts()
          return wanted.every((t) => types.includes(t))
        },
        { timeout: 10_000, interval: 250 },
      )
      .toBe(true)
    const verdicts = await page.locator('#webhook-events tbody tr td:last-child').allInnerTexts()
    expect(verdicts.length).toBeGreaterThanOrEqual(6)
    expect(verdicts.every((v) => v.startsWith('verified'))).toBe(true)

    await page.getByRole('button', { name: 'Receive a forged event' }).click()
    await page.waitForURL(/\/webhooks$/)
    const newest = page.locator('#webhook-events tbody tr').first()
    expect(await newest.innerText()).toMatch(/payment\.captured[\s\S]*not verified: signature invalid/)
  })

  it('switches to the deterministic project and shows the same card giving the same token twice', async () => {
    await page.goto(demo.shopUrl + '/settings')
    await page.locator('.project', { hasText: 'Deterministic tokens' }).getByRole('button', { name: 'Use this project' }).click()
    await page.waitForURL(/\/settings$/)
    expect(await page.locator('.project-line').innerText()).toContain('Deterministic tokens')
    await waitForReady(page)
    for (const n of [1, 2]) {
      const frame = await cardFrame(page)
      await typeCard(frame, { number: '5555555555554444', expiry: '0431', cvc: '123' })
      await page.click('#try-button')
      await page.locator('#try-status', { hasText: `Token #${n} ` }).waitFor()
    }
    const rows = await page.locator('#tries tbody tr').allInnerTexts()
    expect(rows).toHaveLength(2)
    const tokenOf = (row: string) => row.split('\t')[1]
    expect(tokenOf(rows[0]!)).toMatch(/^01[0-9a-f]{64}$/)
    expect(tokenOf(rows[1]!)).toBe(tokenOf(rows[0]!))
    expect(rows[1]).toContain('same as #1')
  })

  it('refuses a form POST from another site or without the CSRF token', async () => {
    const cookie = (await context.cookies(demo.shopUrl)).map((c) => `${c.name}=${c.value}`).join('; ')
    const token = await page.locator('meta[name="csrf-token"]').getAttribute('content')
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${demo.shopUrl}/settings/project`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body })
    expect((await post({ origin: 'http://evil.example' }, `project=default&_csrf=${token}`)).status).toBe(403)
    expect((await post({ origin: demo.shopUrl }, 'project=default')).status).toBe(403)
    expect((await post({ origin: demo.shopUrl }, `project=default&_csrf=${token}`)).status).toBe(303)
  })

  it('passes axe-core on every page', async () => {
    for (const path of PAGES) {
      await page.goto(demo.shopUrl + path)
      if (CARD_PAGES.includes(path)) await waitForReady(page)
      expect(await axeViolations(page.mainFrame()), path).toEqual([])
    }
    expect(pageErrors).toEqual([])
  }, 60_000)

  it('fits every page on a 390 px phone and on a desktop (nothing off-screen, axe-clean), with screenshots of each', async () => {
    for (const device of ['phone', 'desktop'] as const) await checkEveryPage(browser, demo, device, SCREENSHOTS)
  }, 120_000)
})
