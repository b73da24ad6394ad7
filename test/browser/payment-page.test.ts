// The hosted payment page in Chromium: paid, saved (tokenize mode, save_card, one-click), a
// decline shown, cancelled, reused and expired pages refused, in Romanian, at 390 px, with
// axe-core in every state and no CSP violation. The vault pays through the sandbox acquirer process.
import { existsSync, mkdirSync } from 'node:fs'
import type { ChildProcess } from 'node:child_process'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { HttpAcquirerClient } from '../../backend/acquirer/http-client.js'
import { spawnAcquirer } from '../helpers/acquirer.js'
import { api, type Api } from '../helpers/api.js'
import { startVault, type TestProjectKeys, type TestVault } from '../helpers/vault.js'
import { OffsetClock } from '../integration/payments/support/pages.js'
import { axeViolations } from './support/axe.js'
import { describeInBrowser, launchChromium } from './support/chromium.js'
import { startHost, type HostServer } from './support/host-server.js'

const APPROVE = '4000000000000077'
const DECLINE = '4000000000000002'
const CHALLENGE = '4000000000003220'
/** Set TESSERA_SCREENSHOTS=docs/screenshots to refresh the screenshots docs/payment-page.md shows. */
const SHOTS = process.env.TESSERA_SCREENSHOTS

describeInBrowser('the hosted payment page', () => {
  const clock = new OffsetClock()
  let vault: TestVault
  let host: HostServer
  let browser: Browser
  let acquirer: { child: ChildProcess; url: string }
  let keys: TestProjectKeys
  let call: Api

  beforeAll(async () => {
    if (!existsSync('dist/pay/manifest.json')) throw new Error('dist/ is missing: run `npm run build` before the browser tests')
    acquirer = await spawnAcquirer()
    ;[vault, host, browser] = await Promise.all([
      startVault({ hostname: 'localhost', clock, acquirer: new HttpAcquirerClient({ url: acquirer.url, timeoutMs: 5000 }), background: false }),
      startHost(),
      launchChromium(),
    ])
    keys = await vault.createProject({ name: 'Librăria Tessera', origins: [host.origin] })
    call = api(vault.url)
    host.page('/return', '<!doctype html><html lang="en"><title>Back at the shop</title><main><h1 id="back">Back at the shop</h1></main></html>')
    host.page('/cart', '<!doctype html><html lang="en"><title>Cart</title><main><h1 id="cart">Cart</h1></main></html>')
    if (SHOTS) mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await Promise.all([host?.close(), vault?.close()])
    acquirer?.child.kill('SIGTERM')
  })

  async function createPage(body: Record<string, unknown>): Promise<any> {
    const res = await call('POST', '/v1/payment-pages', { key: keys.test.secret_key, body: { return_url: `${host.origin}/return`, cancel_url: `${host.origin}/cart`, ...body } })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body
  }

  /** A shopper's tab; every page error and CSP report is collected and must stay empty. */
  async function shopper(width = 1024): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 800 } })
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(e.message))
    page.on('console', (m) => {
      // CSP refusals and script errors; HTTP answers (a 402 decline, the shop's missing favicon) are not problems.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text())
    })
    return { page, problems }
  }

  async function typeCard(page: Page, number: string, expiry = '1230', cvc = '123'): Promise<void> {
    await page.locator('#number').pressSequentially(number)
    await page.locator('#expiry').pressSequentially(expiry)
    await page.locator('#cvc').pressSequentially(cvc)
  }

  const noAxe = async (page: Page) => expect(await axeViolations(page.mainFrame())).toEqual([])
  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
  const shot = async (page: Page, name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
  }

  it('is paid: the card typed on the page is charged once and the shopper lands on return_url', async () => {
    const created = await createPage({ mode: 'purchase', amount: 4990, currency: 'EUR', locale: 'en' })
    const { page, problems } = await shopper()
    await page.goto(created.url)
    await expect.poll(() => page.locator('#number').count()).toBe(1)
    expect(await page.locator('h1').textContent()).toBe('Pay €49.90')
    expect(await page.locator('.merchant').textContent()).toBe('Librăria Tessera')
    await noAxe(page)
    await typeCard(page, '4242424242424242')
    expect(await page.locator('#number').inputValue()).toBe('4242 4242 4242 4242')
    await shot(page, 'payment-page-en-desktop')
    await page.locator('#submit').click()
    await page.waitForURL(`${host.origin}/return?payment_page=${created.id}`)
    const read = (await call('GET', `/v1/payment-pages/${created.id}`, { key: keys.test.secret_key })).body
    expect(read).toMatchObject({ status: 'completed', payment: { status: 'captured', amount: 4990 } })

    // Reused: back on the page, it says it was used and offers no card field.
    await page.goto(created.url)
    expect(await page.locator('h1').textContent()).toBe('This page has been used')
    expect(await page.locator('#number').count()).toBe(0)
    await noAxe(page)
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows field errors and a decline in words a shopper understands, then takes another card', async () => {
    const created = await createPage({ mode: 'purchase', amount: 1000, currency: 'USD' })
    const { page, problems } = await shopper()
    await page.goto(created.url)
    await page.locator('#submit').click()
    expect(await page.locator('#number-error').textContent()).toBe('Your card number is incomplete.')
    await typeCard(page, DECLINE)
    await page.locator('#submit').click()
    await expect.poll(() => page.locator('#page-error').textContent()).toBe('Your card was declined. Try another card, or contact your bank.')
    await noAxe(page)
    await page.locator('#number').fill('')
    await page.locator('#number').pressSequentially(APPROVE)
    await page.locator('#submit').click()
    await page.waitForURL(/\/return\?payment_page=/)
    expect((await call('GET', `/v1/payment-pages/${created.id}`, { key: keys.test.secret_key })).body.status).toBe('completed')
    expect(problems).toEqual([])
    await page.close()
  })

  it('saves: a tokenize page stores the card for the customer, and the next page pays with it in one click', async () => {
    const save = await createPage({ mode: 'tokenize', customer_id: 'cus_browser_1' })
    const { page, problems } = await shopper()
    await page.goto(save.url)
    expect(await page.locator('#submit').textContent()).toBe('Save card')
    await typeCard(page, '5555555555554444', '0431', '321')
    await page.locator('#submit').click()
    await page.waitForURL(/\/return\?payment_page=/)
    const saved = (await call('GET', `/v1/payment-pages/${save.id}`, { key: keys.test.secret_key })).body
    expect(saved.status).toBe('completed')

    const pay = await createPage({ mode: 'purchase', amount: 2500, currency: 'EUR', customer_id: 'cus_browser_1' })
    await page.goto(pay.url)
    const option = page.getByRole('radio', { name: /Mastercard ending in 4444/ })
    await expect.poll(() => option.isChecked()).toBe(true)
    expect(await page.locator('form.card').isHidden()).toBe(true)
    await noAxe(page)
    await shot(page, 'payment-page-saved-card')
    await page.locator('#submit').click()
    await page.waitForURL(/\/return\?payment_page=/)
    const paid = (await call('GET', `/v1/payment-pages/${pay.id}`, { key: keys.test.secret_key })).body
    expect(paid.payment).toMatchObject({ status: 'captured', token: saved.token })
    expect(problems).toEqual([])
    await page.close()
  })

  it('speaks Romanian at 390 px: page, card fields and amount, nothing off the screen sideways', async () => {
    const created = await createPage({ mode: 'purchase', amount: 12_345, currency: 'RON', locale: 'ro', customer_id: 'cus_ro', save_card: true })
    const { page, problems } = await shopper(390)
    await page.goto(created.url)
    await expect.poll(() => page.locator('#number').count()).toBe(1)
    expect(await page.locator('html').getAttribute('lang')).toBe('ro')
    const amount = await page.evaluate(() => new Intl.NumberFormat('ro', { style: 'currency', currency: 'RON' }).format(123.45))
    expect(await page.locator('h1').textContent()).toBe(`Plătiți ${amount}`)
    expect(await page.locator('label[for=number]').textContent()).toBe('Numărul cardului')
    expect(await fitsWidth(page)).toBe(true)
    await page.locator('#submit').click()
    expect(await page.locator('#number-error').textContent()).toBe('Numărul cardului este incomplet.')
    await noAxe(page)
    await shot(page, 'payment-page-ro-390')
    if (SHOTS) {
      await page.setViewportSize({ width: 1024, height: 800 })
      await shot(page, 'payment-page-ro-desktop')
    }
    await typeCard(page, APPROVE)
    await page.locator('#submit').click()
    await page.waitForURL(/\/return\?payment_page=/)
    expect(problems).toEqual([])
    await page.close()
  })

  it('cancels to cancel_url and leaves the page open', async () => {
    const created = await createPage({ mode: 'purchase', amount: 100, currency: 'EUR' })
    const { page } = await shopper(390)
    await page.goto(created.url)
    expect(await fitsWidth(page)).toBe(true)
    await shot(page, 'payment-page-en-390')
    await page.getByRole('link', { name: 'Cancel and return to Librăria Tessera' }).click()
    await page.waitForURL(`${host.origin}/cart?payment_page=${created.id}`)
    expect((await call('GET', `/v1/payment-pages/${created.id}`, { key: keys.test.secret_key })).body.status).toBe('open')
    await page.close()
  })

  it('refuses an expired page: it says so in the shopper’s language and takes no card', async () => {
    const created = await createPage({ mode: 'purchase', amount: 100, currency: 'EUR', locale: 'ro' })
    const { page, problems } = await shopper(1024)
    await page.goto(created.url)
    await expect.poll(() => page.locator('#number').count()).toBe(1)
    await typeCard(page, APPROVE)
    clock.offsetMs = 31 * 60_000
    try {
      // The shopper pays after the half hour: the vault refuses and the page shows why.
      await page.locator('#submit').click()
      await page.waitForLoadState('load')
      await expect.poll(() => page.locator('h1').textContent()).toBe('Această pagină a expirat')
      expect(await page.locator('#number').count()).toBe(0)
      await noAxe(page)
      await shot(page, 'payment-page-ro-expired')
      expect((await call('GET', `/v1/payment-pages/${created.id}`, { key: keys.test.secret_key })).body.status).toBe('expired')
      expect((await call('GET', `/v1/payments?limit=100`, { key: keys.test.secret_key })).body.data?.some?.((p: any) => p.amount === 100 && p.created_at > created.created_at) ?? false).toBe(false)
    } finally {
      clock.offsetMs = 0
    }
    expect(problems).toEqual([])
    await page.close()
  })

  it('is challenged: 3-D Secure runs in the page, Complete on the bank\'s page pays and sends the shopper back', async () => {
    const created = await createPage({ mode: 'purchase', amount: 7700, currency: 'EUR', locale: 'ro' })
    const { page, problems } = await shopper(390)
    await page.goto(created.url)
    await typeCard(page, CHALLENGE)
    await page.locator('#submit').click()
    const challenge = page.frameLocator('#challenge')
    await challenge.getByRole('button', { name: 'Complete' }).waitFor()
    expect(await page.locator('.notice').textContent()).toBe('Banca vă cere să confirmați această plată.')
    expect(await fitsWidth(page)).toBe(true)
    await noAxe(page)
    await shot(page, 'payment-page-ro-challenge')
    await challenge.getByRole('button', { name: 'Complete' }).click()
    await page.waitForURL(`${host.origin}/return?payment_page=${created.id}`)
    const read = (await call('GET', `/v1/payment-pages/${created.id}`, { key: keys.test.secret_key })).body
    expect(read).toMatchObject({ status: 'completed', payment: { status: 'captured', three_d_secure: { flow: 'challenge' } } })
    expect(problems).toEqual([])
    await page.close()
  })

  it('is challenged and failed: Fail on the bank\'s page brings the card field back with the decline', async () => {
    const created = await createPage({ mode: 'purchase', amount: 7800, currency: 'EUR' })
    const { page, problems } = await shopper()
    await page.goto(created.url)
    await typeCard(page, CHALLENGE)
    await page.locator('#submit').click()
    await page.frameLocator('#challenge').getByRole('button', { name: 'Fail' }).click()
    await expect.poll(() => page.locator('#page-error').textContent(), { timeout: 10_000 }).toBe('Your card was declined. Try another card, or contact your bank.')
    expect(await page.locator('#number').count()).toBe(1)
    await noAxe(page)
    expect((await call('GET', `/v1/payment-pages/${created.id}`, { key: keys.test.secret_key })).body).toMatchObject({ status: 'open', payment: { decline_code: 'authentication_failed' } })
    expect(problems).toEqual([])
    await page.close()
  })

  it('answers an unknown page with a page that says so, under the same CSP', async () => {
    const { page } = await shopper()
    const res = await page.goto(`${vault.url}/pay/pp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)
    expect(res?.status()).toBe(404)
    expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(await page.locator('h1').textContent()).toBe('Page not found')
    await noAxe(page)
    await page.close()
  })
})
