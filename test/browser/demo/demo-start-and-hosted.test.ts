// The demo as `npm start` starts it, apart from the shopper's journey (demo.test.ts): three
// processes on free ports and the demo keys kept private, the shop's pages served with a CSP
// that lets in only the vault, the hosted payment page paid end to end, and Ctrl-C stopping all
// three.
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeInBrowser, launchChromium } from '../support/chromium.js'
import { refusesConnections, startDemo, type RunningDemo } from './support/demo-processes.js'
import { PAGES } from './support/shopper.js'

describeInBrowser('the demo as started', () => {
  let demo: RunningDemo
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  beforeAll(async () => {
    ;[demo, browser] = await Promise.all([startDemo(), launchChromium()])
    // Tall enough that nothing scrolls: a click after a scroll can land in an iframe (BROWSER.md).
    page = await (await browser.newContext({ viewport: { width: 1280, height: 1400 } })).newPage()
    page.on('pageerror', (e) => pageErrors.push(e.message))
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    if (demo && demo.child.exitCode === null) await demo.stop('SIGTERM')
  })

  it('starts the vault, the sandbox acquirer and the shop, and keeps the demo keys in a 0600 file', async () => {
    const out = demo.output()
    expect(out).toMatch(/Demo projects, test mode \(5 created; keys kept in .*demo-projects\.json, mode 0600\)/)
    expect(out).toMatch(/publishable\s+pk_test_\w{32}/)
    expect(out).toMatch(/secret\s+sk_test_\w{32}/)
    expect(statSync(path.join(demo.dataDir, 'demo-projects.json')).mode & 0o777).toBe(0o600)
    // The projects were made through the management API, with the admin key kept beside them.
    expect(statSync(path.join(demo.dataDir, 'admin-key')).mode & 0o777).toBe(0o600)
    const adminKey = readFileSync(path.join(demo.dataDir, 'admin-key'), 'utf8').trim()
    const listed = await (await fetch(`${demo.vaultUrl}/v1/projects?limit=100`, { headers: { authorization: `Bearer ${adminKey}` } })).json()
    expect(listed.data.filter((p: { name: string }) => p.name.startsWith('Demo: '))).toHaveLength(5)
    expect(new URL(demo.shopUrl).origin).not.toBe(new URL(demo.vaultUrl).origin)
    for (const url of [`${demo.acquirerUrl}/health`, `${demo.vaultUrl}/v1/jwks`, `${demo.shopUrl}/health`]) expect((await fetch(url)).status).toBe(200)
  })

  it('serves its pages with a CSP that lets in only the vault, and never a secret key', async () => {
    const vaultOrigin = new URL(demo.vaultUrl).origin
    for (const path of PAGES) {
      const res = await fetch(demo.shopUrl + path)
      const html = await res.text()
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-security-policy')).toBe(
        `default-src 'none'; script-src 'self' ${vaultOrigin}; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src ${vaultOrigin}; form-action 'self' ${vaultOrigin}; base-uri 'none'; frame-ancestors 'none'`,
      )
      expect(html).not.toMatch(/sk_test_/)
      expect(html).not.toMatch(/style=|<style/)
    }
  })

  it('pays on the hosted page: the shop sends the shopper to the vault and books the order only once the vault says so', async () => {
    await page.goto(demo.shopUrl + '/hosted')
    await page.selectOption('#hosted-locale', 'ro')
    await page.click('#hosted-button')
    await page.waitForURL(new RegExp(`^${demo.vaultUrl}/pay/pp_`))
    expect(await page.locator('html').getAttribute('lang')).toBe('ro')
    await page.locator('#number').pressSequentially('4242424242424242')
    await page.locator('#expiry').pressSequentially('1230')
    await page.locator('#cvc').pressSequentially('123')
    await page.locator('#submit').click()
    await page.waitForURL(new RegExp(`^${demo.shopUrl}/hosted/return\\?payment_page=pp_`))
    expect(await page.locator('#hosted-result').innerText()).toContain('Payment successful')
    // The redirect alone proves nothing: a made-up page id gets no order.
    await page.goto(`${demo.shopUrl}/hosted/return?payment_page=pp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`)
    expect(await page.locator('h1').innerText()).toBe('No such order')
    expect(pageErrors).toEqual([])
  })

  it('stops all three processes on Ctrl-C', async () => {
    expect(await demo.stop('SIGINT')).toBe(0)
    for (const url of [demo.shopUrl, demo.vaultUrl, demo.acquirerUrl]) expect(await refusesConnections(`${url}/health`)).toBe(true)
  })
})
