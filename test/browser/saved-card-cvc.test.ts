// Issue 17 item 4 in the browser: on a project with require_cvc_for_saved_cards, choosing a
// saved card shows a CVC input in the frame; tokenize() answers the token and a cvc_token (the
// CVC encrypted for the vault) which the merchant's server sends as card_cvc. The sandbox
// acquirer declines CVC 999, so a decline proves the typed CVC reached it.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { api, type Api } from '../helpers/api.js'
import { startTestAcquirer, type TestAcquirer } from '../helpers/acquirer.js'
import { encryptCard } from '../helpers/cards.js'
import { startVault, type TestProjectKeys, type TestVault } from '../helpers/vault.js'
import { axeViolations } from './support/axe.js'
import { describeInBrowser, launchChromium } from './support/chromium.js'
import { merchantPage, startHost, type HostServer } from './support/host-server.js'
import { cardFrame, EVENT_RECORDER, recordedEvents, tokenizeInPage, waitForEvent } from './support/world.js'

const APPROVE = '4000000000000077'

describeInBrowser('saved cards with CVC', () => {
  let acquirer: TestAcquirer
  let vault: TestVault
  let host: HostServer
  let browser: Browser
  let keys: TestProjectKeys
  let call: Api
  const pages: Page[] = []

  beforeAll(async () => {
    acquirer = await startTestAcquirer()
    ;[vault, host, browser] = await Promise.all([startVault({ hostname: 'localhost', acquirer: acquirer.client() }), startHost(), launchChromium()])
    keys = await vault.createProject({ origins: [host.origin], requireCvcForSavedCards: true })
    call = api(vault.url)
  })
  afterAll(async () => {
    await Promise.all(pages.map((p) => p.close()))
    await browser?.close()
    await Promise.all([host?.close(), vault?.close(), acquirer?.close()])
  })

  async function openWithSavedCard(customerId: string): Promise<{ page: Page; token: string }> {
    const saved = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url, { number: APPROVE }), customer_id: customerId } })
    expect(saved.status).toBe(201)
    const session = await call('POST', '/v1/customer-sessions', { key: keys.test.secret_key, body: { customer_id: customerId } })
    const page = await browser.newPage()
    pages.push(page)
    const element = `<tessera-card publishable-key="${keys.test.publishable_key}" customer-session="${session.body.client_secret}"></tessera-card>`
    await page.goto(host.page(`/${customerId}`, merchantPage(vault.url, element, EVENT_RECORDER)))
    expect((await waitForEvent(page, 'tessera-ready')).detail).toEqual({ savedCards: 1 })
    return { page, token: saved.body.token }
  }

  const pay = (token: string, cardCvc: string) =>
    call('POST', '/v1/payments', { key: keys.test.secret_key, body: { token, card_cvc: cardCvc, initiator: 'customer', amount: 1500, currency: 'EUR' } })

  it('asks the chosen saved card’s CVC, refuses tokenize without it, and pays with it', async () => {
    const { page, token } = await openWithSavedCard('cus_cvc_ok')
    const frame = await cardFrame(page)
    const cvc = frame.locator('#saved-cvc')
    expect(await cvc.isVisible()).toBe(true)
    expect(await frame.locator('label[for=saved-cvc]').textContent()).toBe('Security code of the Visa ending in 0077')
    expect(await axeViolations(frame)).toEqual([])

    const missing = await tokenizeInPage(page)
    expect(missing).toMatchObject({ ok: false, type: 'card_error', code: 'incomplete_cvc', param: 'cvc' })
    expect(await frame.locator('#saved-cvc-error').textContent()).toBe("Your card's security code is incomplete.")

    const lastChange = async () => (await recordedEvents(page)).filter((e) => e.type === 'tessera-change').at(-1)?.detail
    expect(await lastChange()).toMatchObject({ complete: false, savedCard: true, errors: { cvc: { code: 'incomplete_cvc' } } })
    await cvc.pressSequentially('123')
    expect(await lastChange()).toMatchObject({ complete: true, savedCard: true, errors: {} })
    const result = await tokenizeInPage(page)
    expect(result).toMatchObject({ ok: true, token, card: { brand: 'visa', last4: '0077' } })
    expect(result.cvc_token.split('.')).toHaveLength(5)
    // The host page saw the CVC nowhere: not in an event, not in the result.
    const events = JSON.stringify(await recordedEvents(page))
    expect(events).not.toContain('"123"')
    expect(Object.keys(result).sort()).toEqual(['card', 'cvc_token', 'ok', 'token'])

    const paid = await pay(token, result.cvc_token)
    expect(paid.status, JSON.stringify(paid.body)).toBe(201)
    expect(paid.body).toMatchObject({ status: 'captured', token, initiator: 'customer' })
    // Used once: the same encrypted CVC cannot pay again.
    expect((await pay(token, result.cvc_token)).body.error.code).toBe('replayed_card_encryption')
  })

  it('sends the typed CVC to the acquirer: 999 is declined incorrect_cvc', async () => {
    const { page, token } = await openWithSavedCard('cus_cvc_999')
    await (await cardFrame(page)).locator('#saved-cvc').pressSequentially('999')
    const result = await tokenizeInPage(page)
    expect(result.ok).toBe(true)
    const declined = await pay(token, result.cvc_token)
    expect(declined.status).toBe(402)
    expect(declined.body.error).toMatchObject({ code: 'card_declined', decline_code: 'incorrect_cvc' })
  })

  it('hides the CVC input for "use a new card" and tokenizes a typed card as before', async () => {
    const { page } = await openWithSavedCard('cus_cvc_new')
    const frame = await cardFrame(page)
    await frame.locator('input[value=new]').check()
    expect(await frame.locator('#saved-cvc').isVisible()).toBe(false)
    for (const [field, value] of [['number', '5555555555554444'], ['expiry', '0431'], ['cvc', '123']] as const) await frame.locator(`#${field}`).pressSequentially(value)
    const result = await tokenizeInPage(page)
    expect(result).toMatchObject({ ok: true, card: { last4: '4444' } })
    expect(result.cvc_token).toBeUndefined()
  })
})
