// What a real browser downloads for the card field: the loader and the frame page's scripts and
// stylesheet in an encoding it accepts (Brotli or gzip, written by the build), which its
// Subresource Integrity checks pass (they hash the decoded body), and the field becomes ready.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeInBrowser } from './support/chromium.js'
import { merchantPage } from './support/host-server.js'
import { EVENT_RECORDER, startWorld, waitForEvent, type World } from './support/world.js'

describeInBrowser('compressed card field', () => {
  let world: World

  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(() => world?.close())

  it('arrives encoded, passes its integrity checks and gets ready', async () => {
    const page = await world.browser.newPage()
    const encodings = new Map<string, string | undefined>()
    page.on('response', (res) => {
      if (/\/v1\/tessera\.js$|\/frame\/[^/?]+\.(js|css)$/.test(res.url())) encodings.set(new URL(res.url()).pathname, res.headers()['content-encoding'])
    })
    const body = `<tessera-card publishable-key="${world.keys.test.publishable_key}" locale="de"></tessera-card>`
    await page.goto(world.host.page('/encoded', merchantPage(world.vault.url, body, EVENT_RECORDER)))
    await waitForEvent(page, 'tessera-ready')
    // The loader, the frame's stylesheet, early and main scripts, and the German chunk.
    expect([...encodings.keys()].length).toBeGreaterThanOrEqual(5)
    for (const [path, encoding] of encodings) expect(['br', 'gzip'], path).toContain(encoding)
    await page.close()
  })
})
