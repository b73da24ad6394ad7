// handleNextAction in Chromium: a merchant page on its own origin (127.0.0.1), the vault on
// localhost, the sandbox acquirer on a third origin. The dialog frames the vault's page, which
// frames the acquirer's challenge; Complete and Fail are clicked there, the result reaches the
// vault server to server and the element resolves with the payment's status. Escape cancels.
// TESSERA_SCREENSHOTS=docs/screenshots npx vitest run test/browser/three-d-secure.test.ts
// refreshes the screenshots docs/payments.md shows.
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { api, type Api } from '../helpers/api.js'
import { startTestAcquirer, type TestAcquirer } from '../helpers/acquirer.js'
import { encryptCard } from '../helpers/cards.js'
import { startVault, type TestProjectKeys, type TestVault } from '../helpers/vault.js'
import { axeViolations } from './support/axe.js'
import { describeInBrowser, launchChromium } from './support/chromium.js'
import { merchantPage, startHost, type HostServer } from './support/host-server.js'
import { expectNoPageErrors } from './support/world.js'

const CHALLENGE = '4000000000003220'
const SCREENSHOTS = process.env.TESSERA_SCREENSHOTS

describeInBrowser('3-D Secure: handleNextAction', () => {
  let acquirer: TestAcquirer
  let vault: TestVault
  let host: HostServer
  let browser: Browser
  let keys: TestProjectKeys
  let call: Api

  beforeAll(async () => {
    acquirer = await startTestAcquirer()
    ;[vault, host, browser] = await Promise.all([startVault({ hostname: 'localhost', acquirer: acquirer.client() }), startHost(), launchChromium()])
    keys = await vault.createProject({ origins: [host.origin] })
    call = api(vault.url)
  })
  afterAll(async () => {
    await browser?.close()
    await Promise.all([host?.close(), vault?.close(), acquirer?.close()])
  })

  async function challengedPayment(): Promise<{ id: string; next_action: any }> {
    const card = await encryptCard(vault.url, { number: CHALLENGE, exp_month: 6, exp_year: new Date().getUTCFullYear() + 2 })
    const res = await call('POST', '/v1/payments', { key: keys.test.secret_key, body: { card, amount: 4200, currency: 'EUR' } })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.status).toBe('requires_action')
    return res.body
  }

  /** The merchant page, with handleNextAction started on `next`; the outcome lands in window.outcome. */
  async function openDialog(next: unknown, lang = 'en', width = 1024): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const url = host.page(`/pay-${Math.random().toString(36).slice(2)}`, merchantPage(vault.url, `<main><h1>Checkout</h1><tessera-card publishable-key="${keys.test.publishable_key}" locale="${lang}"></tessera-card><button id="pay">Pay</button></main>`))
    await page.goto(url)
    await page.waitForFunction(() => customElements.get('tessera-card'))
    await page.focus('#pay')
    await page.evaluate((n) => {
      ;(window as any).outcome = document
        .querySelector('tessera-card')!
        .handleNextAction(n as any)
        .then((r) => ({ ok: true, ...r }), (e: any) => ({ ok: false, code: e.code, name: e.name }))
    }, next)
    await page.locator('tessera-three-d-secure dialog').waitFor({ state: 'visible' })
    return { page, errors }
  }

  const challengeFrame = (page: Page) => page.frameLocator('tessera-three-d-secure iframe').frameLocator('#challenge')
  const outcome = (page: Page) => page.evaluate(() => (window as any).outcome)

  it('Complete on the challenge page: resolves with captured, the dialog closes and focus returns', async () => {
    const payment = await challengedPayment()
    const { page, errors } = await openDialog(payment.next_action)
    const dialog = page.locator('tessera-three-d-secure dialog')
    await expect(dialog.getAttribute('aria-labelledby')).resolves.toBe('title')
    expect(await page.locator('tessera-three-d-secure h2').textContent()).toBe('Confirm your payment')
    await challengeFrame(page).getByRole('button', { name: 'Complete' }).click()
    expect(await outcome(page)).toEqual({ ok: true, status: 'captured' })
    expect(await page.locator('tessera-three-d-secure').count()).toBe(0)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pay')
    expect((await call('GET', `/v1/payments/${payment.id}`, { key: keys.test.secret_key })).body).toMatchObject({ status: 'captured', three_d_secure: { flow: 'challenge', result: 'authenticated' } })
    expectNoPageErrors(errors)
    await page.close()
  })

  it('Fail on the challenge page: resolves with declined and authentication_failed', async () => {
    const payment = await challengedPayment()
    const { page } = await openDialog(payment.next_action)
    await challengeFrame(page).getByRole('button', { name: 'Fail' }).click()
    expect(await outcome(page)).toEqual({ ok: true, status: 'declined', decline_code: 'authentication_failed' })
    await page.close()
  })

  it('Escape cancels: rejects with authentication_canceled and the payment still waits', async () => {
    const payment = await challengedPayment()
    const { page } = await openDialog(payment.next_action)
    await challengeFrame(page).getByRole('button', { name: 'Complete' }).waitFor()
    // Focus stays inside the modal dialog, whatever Tab does.
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab')
      // Focus crossing out of the (out-of-process) challenge frames arrives in the page a moment
      // after the key press resolves: poll for where it settles rather than reading it at once.
      await expect.poll(() => page.evaluate(() => document.activeElement?.tagName), { message: `after Tab ${i + 1}`, timeout: 3_000 }).toBe('TESSERA-THREE-D-SECURE')
    }
    await page.locator('tessera-three-d-secure button').focus()
    await page.keyboard.press('Escape')
    expect(await outcome(page)).toEqual({ ok: false, code: 'authentication_canceled', name: 'TesseraElementError' })
    expect(await page.locator('tessera-three-d-secure').count()).toBe(0)
    expect((await call('GET', `/v1/payments/${payment.id}`, { key: keys.test.secret_key })).body.status).toBe('requires_action')
    await page.close()
  })

  it('Escape inside the vault page cancels too', async () => {
    const payment = await challengedPayment()
    const { page } = await openDialog(payment.next_action)
    const vaultFrame = page.frameLocator('tessera-three-d-secure iframe')
    await vaultFrame.locator('#status').click()
    await page.keyboard.press('Escape')
    expect(await outcome(page)).toMatchObject({ ok: false, code: 'authentication_canceled' })
    await page.close()
  })

  it('refuses a next_action whose url is not the vault 3-D Secure page', async () => {
    const page = await browser.newPage()
    await page.goto(host.page('/bad', merchantPage(vault.url, `<tessera-card publishable-key="${keys.test.publishable_key}"></tessera-card>`)))
    await page.waitForFunction(() => customElements.get('tessera-card'))
    const result = await page.evaluate(() =>
      document
        .querySelector('tessera-card')!
        .handleNextAction({ type: 'three_d_secure', url: 'https://evil.example/three-d-secure/pay_000000000000000000000000', client_secret: 's' })
        .then(() => ({ ok: true }), (e: any) => ({ ok: false, code: e.code })),
    )
    expect(result).toEqual({ ok: false, code: 'next_action_invalid' })
    expect(await page.locator('tessera-three-d-secure').count()).toBe(0)
    await page.close()
  })

  it('the dialog, the vault page and the challenge page pass axe-core; Romanian texts; 390 px wide', async () => {
    const payment = await challengedPayment()
    const { page } = await openDialog(payment.next_action, 'ro', 390)
    expect(await page.locator('tessera-three-d-secure h2').textContent()).toBe('Confirmați plata')
    expect(await page.locator('tessera-three-d-secure button').textContent()).toBe('Anulare')
    await challengeFrame(page).getByRole('button', { name: 'Complete' }).waitFor()
    expect(await axeViolations(page.mainFrame(), 'tessera-three-d-secure')).toEqual([])
    const frames = page.frames()
    const vaultPage = frames.find((f) => f.url().startsWith(`${vault.url}/three-d-secure/`))
    const challenge = frames.find((f) => f.url().startsWith(`${acquirer.url}/challenge/`))
    expect(vaultPage && challenge).toBeTruthy()
    expect(await vaultPage!.evaluate(() => document.documentElement.lang)).toBe('ro')
    expect(await vaultPage!.evaluate(() => location.hash)).toBe('')
    expect(await axeViolations(vaultPage!)).toEqual([])
    expect(await axeViolations(challenge!)).toEqual([])
    expect(await challenge!.title()).toBe('Sandbox Bank: confirm the payment')
    // Nothing runs off a 390 px screen sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    expect(await challenge!.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, 'three-d-secure-modal.png') })
    await challengeFrame(page).getByRole('button', { name: 'Complete' }).click()
    expect(await outcome(page)).toEqual({ ok: true, status: 'captured' })
    await page.close()
  })

  it("serves the vault's page with the frame's CSP, the acquirer as its only frame source and the project's origins as ancestors", async () => {
    const payment = await challengedPayment()
    const res = await fetch(payment.next_action.url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toBe(
      `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-src ${acquirer.url}; base-uri 'none'; form-action 'none'; frame-ancestors ${host.origin}`,
    )
    const html = await res.text()
    expect(html).toContain(`<iframe id="challenge" src="${acquirer.url}/challenge/`)
    expect(html).not.toContain(payment.next_action.client_secret)
    expect((await fetch(`${vault.url}/three-d-secure/pay_000000000000000000000000`)).status).toBe(404)
    expect((await fetch(`${vault.url}/three-d-secure/nonsense`)).status).toBe(404)
  })

  it('the challenge page alone at 390 px (screenshot)', async () => {
    const payment = await challengedPayment()
    const row = await vault.running.vault.store.db.selectFrom('payment_actions').select('challenge_url').where('payment_id', '=', payment.id).executeTakeFirstOrThrow()
    const page = await browser.newPage({ viewport: { width: 390, height: 700 } })
    await page.goto(row.challenge_url)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm this payment')
    expect(await axeViolations(page.mainFrame())).toEqual([])
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, 'three-d-secure-challenge.png') })
    await page.close()
  })
})
