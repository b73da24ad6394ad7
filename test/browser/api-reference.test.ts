// GET /docs, the API reference the vault renders from its OpenAPI document, read on a 390 px
// phone and on a desktop: nothing runs off the screen sideways (long tables scroll inside
// themselves), and its strict CSP blocks nothing the page needs.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startVault, type TestVault } from '../helpers/vault.js'
import { describeInBrowser, launchChromium } from './support/chromium.js'

describeInBrowser('the API reference page', () => {
  let vault: TestVault
  let browser: Browser

  beforeAll(async () => {
    ;[vault, browser] = await Promise.all([startVault(), launchChromium()])
  })
  afterAll(async () => {
    await browser?.close()
    await vault?.close()
  })

  it.each([390, 1280])('fits a %i px wide screen, styled, with no CSP violation', async (width) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } })
    const violations: string[] = []
    page.on('console', (m) => m.text().includes('Content Security Policy') && violations.push(m.text()))
    await page.goto(`${vault.url}/docs`)
    expect(await page.locator('h1').innerText()).toContain('Tessera vault API')
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)
    // The inline stylesheet applied (allowed by its hash): the operations are boxed.
    expect(await page.locator('section.op').first().evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe('solid')
    expect(violations).toEqual([])
    await page.close()
  })
})
