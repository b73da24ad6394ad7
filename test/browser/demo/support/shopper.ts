// How the demo test drives the shop's pages as a shopper: a card page opened until its field is
// ready, Pay and its notice, the customer switcher, screenshots, and what runs off a phone's screen.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'
import { axeViolations } from '../../support/axe.js'
import type { RunningDemo } from './demo-processes.js'

/** The pages the demo shop serves. */
export const PAGES = ['/checkout', '/one-click', '/hosted', '/saved-cards', '/tokens', '/webhooks', '/test-cards', '/settings']
/** The pages that hold a card field. */
export const CARD_PAGES = ['/checkout', '/one-click', '/settings']

/** Records each page's tessera-ready detail as `window.tesseraReady` (null until then). */
export async function recordReady(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    ;(window as any).tesseraReady = null
    document.addEventListener('tessera-ready', (e) => ((window as any).tesseraReady = (e as CustomEvent).detail))
  })
}

export async function waitForReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as any).tesseraReady !== null)
}

export class Shopper {
  constructor(
    private readonly demo: RunningDemo,
    readonly page: Page,
    /** Where screenshots go (TESSERA_DEMO_SCREENSHOTS), or nowhere. */
    private readonly screenshots: string | undefined,
  ) {}

  /** Opens a page with a card field and waits until the field is ready; resolves to its ready detail. */
  async openCardPage(route: string): Promise<{ savedCards: number }> {
    await this.page.goto(this.demo.shopUrl + route)
    await waitForReady(this.page)
    return this.page.evaluate(() => (window as any).tesseraReady)
  }

  /** The secret key of the project the shop starts on (Everyday shop), from the demo's keys file. */
  everydaySecretKey(): string {
    const file = JSON.parse(readFileSync(path.join(this.demo.dataDir, 'demo-projects.json'), 'utf8'))
    return file.projects.find((p: any) => p.label === 'Everyday shop').test.secret_key
  }

  async pay(): Promise<string> {
    await this.page.click('#pay-button')
    const notice = this.page.locator('#pay-status .notice')
    await notice.waitFor({ timeout: 20_000 })
    return notice.innerText()
  }

  /** The page down to the end of its content (resizing the viewport would repaint the card iframe late). */
  async shoot(name: string): Promise<void> {
    if (!this.screenshots) return
    const height = await this.page.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height))
    await this.page.screenshot({ path: path.join(this.screenshots, name), clip: { x: 0, y: 0, width: 1280, height: Math.min(height, 1400) } })
  }

  /** Signs in as another demo customer through the header's switcher (it submits on change). */
  async signInAs(customerId: string): Promise<void> {
    await Promise.all([this.page.waitForResponse((r) => r.url().endsWith('/session/customer')), this.page.selectOption('#customer-switch', customerId)])
    await this.page.waitForLoadState()
    expect(await this.page.locator('#customer-switch').inputValue()).toBe(customerId)
  }
}

/** What runs off the side of the viewport: the page itself, or a control, table or frame in main. */
export function offscreen(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const out: string[] = []
    if (document.documentElement.scrollWidth > width) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`)
    for (const el of Array.from(document.querySelectorAll('main button, main a, main table, main input, main select, main iframe'))) {
      const r = el.getBoundingClientRect()
      if (r.width === 0 || (el as HTMLElement).closest('[hidden]')) continue
      // Inside a scrolling tab strip an item may sit past the edge: the strip shows it scrolls.
      if (r.right > width + 1 || r.left < -1) out.push(`${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(r.left)}-${Math.round(r.right)}`)
    }
    return out
  })
}

export const DEVICES = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
  desktop: { viewport: { width: 1280, height: 1400 } },
} as const

/**
 * A full-page screenshot with the card field painted: Chromium does not paint an out-of-process
 * frame that lies below the fold into a fullPage capture (the phone's checkout showed an empty
 * box), so the viewport grows to the whole page first and is put back afterwards.
 */
async function fullPageShot(page: Page, viewport: { width: number; height: number }, file: string): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight)
  await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) })
  for (const frame of page.frames()) await frame.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))).catch(() => undefined)
  await page.screenshot({ path: file, fullPage: true })
  await page.setViewportSize(viewport)
}

/** Opens every page on a device: nothing off-screen, axe-clean, and a full-page screenshot when asked. */
export async function checkEveryPage(browser: Browser, demo: RunningDemo, name: keyof typeof DEVICES, screenshots: string | undefined): Promise<void> {
  const device = await browser.newContext(DEVICES[name])
  await recordReady(device)
  const page = await device.newPage()
  for (const route of PAGES) {
    await page.goto(demo.shopUrl + route)
    if (CARD_PAGES.includes(route)) await waitForReady(page)
    expect(await offscreen(page), `${name} ${route}`).toEqual([])
    expect(await axeViolations(page.mainFrame()), `${name} ${route}`).toEqual([])
    if (screenshots) await fullPageShot(page, DEVICES[name].viewport, path.join(screenshots, `${name}${route.replace('/', '-')}.png`))
  }
  await device.close()
}
