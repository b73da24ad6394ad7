// Issue 17, item 5: the stacked layout and layout="row" (number, MM / YY and CVC on one line) at
// 320-1280 px: nothing overflows sideways, every digit of the number stays visible, the row is one
// line where the whole number fits (a phone wraps it), axe-core is
// clean. Screenshots go to docs/screenshots/element-<layout>-<width>.png.
import { mkdirSync } from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { axeViolations } from './support/axe.js'
import { describeInBrowser } from './support/chromium.js'
import { merchantPage } from './support/host-server.js'
import { cardFrame, EVENT_RECORDER, startWorld, typeCard, waitForEvent, type World } from './support/world.js'

const WIDTHS = [320, 390, 768, 1280]
const SHOTS = 'docs/screenshots'

describeInBrowser('layouts', () => {
  let world: World

  beforeAll(async () => {
    world = await startWorld()
    mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(() => world?.close())

  it.each(['stacked', 'row'] as const)('%s fits every width from 320 to 1280 px', async (layout) => {
    for (const width of WIDTHS) {
      const page = await world.browser.newPage({ viewport: { width, height: 700 } })
      const body = `<main style="padding:16px;max-width:560px"><h1>Pay</h1><tessera-card publishable-key="${world.keys.test.publishable_key}" ${layout === 'row' ? 'layout="row"' : ''}></tessera-card></main>`
      await page.goto(world.host.page(`/${layout}-${width}`, merchantPage(world.vault.url, body, EVENT_RECORDER).replace('<head>', '<head><meta name="viewport" content="width=device-width, initial-scale=1">')))
      await waitForEvent(page, 'tessera-ready')
      const frame = await cardFrame(page)
      await typeCard(frame, { number: '4242424242424241' })
      await frame.locator('#number').press('Tab')
      // Every digit typed stays visible: the formatted number fits its input at every width.
      expect(await frame.evaluate(() => { const input = document.getElementById('number') as HTMLInputElement; return input.scrollWidth <= input.clientWidth })).toBe(true)
      await expect.poll(() => frame.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1)).toBe(true)

      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${layout} ${width}: page`).toBe(true)
      expect(await frame.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${layout} ${width}: frame`).toBe(true)
      const boxes = await frame.evaluate(() =>
        ['number', 'expiry', 'cvc', 'name'].map((id) => {
          const r = document.getElementById(id)!.getBoundingClientRect()
          return { top: Math.round(r.top), left: r.left, right: r.right }
        }),
      )
      const frameWidth = await frame.evaluate(() => window.innerWidth)
      for (const box of boxes) expect(box.right, `${layout} ${width}`).toBeLessThanOrEqual(frameWidth)
      const [number, expiry, cvc, name] = boxes as [typeof boxes[0], typeof boxes[0], typeof boxes[0], typeof boxes[0]]
      expect(expiry.top).toBe(cvc.top)
      // One line where the whole number fits beside MM / YY and CVC; on a phone the number takes its own line.
      if (layout === 'row' && width >= 768) expect(number.top).toBe(expiry.top)
      if (layout === 'row' && width < 400) expect(expiry.top).toBeGreaterThan(number.top)
      if (layout === 'stacked') expect(expiry.top).toBeGreaterThan(number.top)
      expect(name.top).toBeGreaterThan(expiry.top)
      expect(await axeViolations(frame)).toEqual([])
      await page.screenshot({ path: `${SHOTS}/element-${layout}-${width}.png` })
      await page.close()
    }
  }, 120_000)
})
