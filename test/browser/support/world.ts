// One browser suite's world: the real vault on http://localhost:P (with the widget routes), a
// merchant host on http://127.0.0.1:Q, a project whose allowed origin is that host, and Chromium.
import { existsSync } from 'node:fs'
import type { Browser, Frame, Page } from 'playwright-core'
import { expect } from 'vitest'
import { api, type Api } from '../../helpers/api.js'
import { startVault, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'
import { launchChromium } from './chromium.js'
import { startHost, type HostServer } from './host-server.js'

export interface World {
  vault: TestVault
  host: HostServer
  keys: TestProjectKeys
  browser: Browser
  api: Api
  close(): Promise<void>
}

export async function startWorld(): Promise<World> {
  if (!existsSync('dist/tessera.js')) throw new Error('dist/ is missing: run `npm run build` before the browser tests')
  const [vault, host, browser] = await Promise.all([startVault({ hostname: 'localhost' }), startHost(), launchChromium()])
  const keys = await vault.createProject({ origins: [host.origin] })
  return {
    vault,
    host,
    keys,
    browser,
    api: api(vault.url),
    async close() {
      await browser.close()
      await Promise.all([host.close(), vault.close()])
    },
  }
}

/** Records every tessera-* event on the document, in order, for the test to read. */
export const EVENT_RECORDER = `<script>
window.tesseraEvents = [];
for (const type of ['tessera-ready', 'tessera-change', 'tessera-focus', 'tessera-blur', 'tessera-error']) {
  document.addEventListener(type, (e) => window.tesseraEvents.push({ type, detail: e.detail, at: performance.now() }));
}
</script>`

export interface RecordedEvent {
  type: string
  detail: any
  at: number
}

export const recordedEvents = (page: Page): Promise<RecordedEvent[]> => page.evaluate(() => (window as any).tesseraEvents)

export async function waitForEvent(page: Page, type: string, count = 1): Promise<RecordedEvent> {
  await page.waitForFunction(([t, n]) => (window as any).tesseraEvents.filter((e: any) => e.type === t).length >= (n as number), [type, count] as const)
  const events = await recordedEvents(page)
  return events.filter((e) => e.type === type)[count - 1] as RecordedEvent
}

/** The card frame inside the (first) <tessera-card> of the page. */
export async function cardFrame(page: Page, selector = 'tessera-card'): Promise<Frame> {
  const handle = await page.locator(`${selector} iframe`).elementHandle()
  const frame = await handle?.contentFrame()
  if (!frame) throw new Error('no card frame')
  return frame
}

/** Types like a customer: one key at a time, so formatting runs on every keystroke. */
export async function typeCard(frame: Frame, card: { number?: string; expiry?: string; cvc?: string; name?: string }): Promise<void> {
  for (const field of ['number', 'expiry', 'cvc', 'name'] as const) {
    const value = card[field]
    if (value !== undefined) await frame.locator(`#${field}`).pressSequentially(value)
  }
}

/** Calls the element's tokenize() in the page; `options` may hold what the element must refuse. */
export async function tokenizeInPage(page: Page, options: Record<string, unknown> = {}): Promise<any> {
  return page.evaluate(async (opts) => {
    try {
      return { ok: true, ...(await document.querySelector('tessera-card')!.tokenize(opts as object)) }
    } catch (error: any) {
      return { ok: false, name: error.name, code: error.code, type: error.type, message: error.message, param: error.param, reason: error.reason }
    }
  }, options)
}

export function expectNoPageErrors(errors: string[]): void {
  expect(errors, errors.join('\n')).toEqual([])
}
