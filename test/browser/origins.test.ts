// Scenario 3 of issue 3: a page on an origin the project does not allow gets no card inputs, and
// tokenize() rejects with frame_unavailable and a reason.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { HANDSHAKE_TIMEOUT_MS } from '../../widget/protocol.js'
import { describeInBrowser } from './support/chromium.js'
import { merchantPage, startHost, type HostServer } from './support/host-server.js'
import { EVENT_RECORDER, startWorld, tokenizeInPage, waitForEvent, type World } from './support/world.js'

describeInBrowser('allowed origins', () => {
  let world: World
  let stranger: HostServer

  beforeAll(async () => {
    ;[world, stranger] = await Promise.all([startWorld(), startHost()])
  })
  afterAll(async () => {
    await stranger?.close()
    await world?.close()
  })

  const cardPage = () => merchantPage(world.vault.url, `<tessera-card publishable-key="${world.keys.test.publishable_key}"></tessera-card>`, EVENT_RECORDER)

  it('shows a page on another origin an error instead of inputs, and tokenize() says why at once', async () => {
    const page = await world.browser.newPage()
    await page.goto(stranger.page('/checkout', cardPage()))
    const error = await waitForEvent(page, 'tessera-error')
    expect(error.detail).toMatchObject({ code: 'frame_unavailable', reason: 'origin_not_allowed', message: `The origin ${stranger.origin} is not allowed for this publishable key.` })
    // The shopper sees one short line, never the developer's reason.
    await expect.poll(() => page.locator('tessera-card .unavailable').innerText()).toBe('Card payment is not available right now.')
    expect(await page.locator('tessera-card iframe').count()).toBe(0)

    const started = Date.now()
    expect(await tokenizeInPage(page)).toMatchObject({ ok: false, name: 'TesseraElementError', code: 'frame_unavailable', message: expect.stringContaining('not allowed') })
    expect(Date.now() - started).toBeLessThan(1000)
    await page.close()
  })

  it('is blocked by frame-ancestors when a page claims an allowed origin it is not on', async () => {
    const src = `${world.vault.url}/frame/card?key=${world.keys.test.publishable_key}&origin=${encodeURIComponent(world.host.origin)}`
    const page = await world.browser.newPage()
    await page.goto(stranger.page('/liar', `<!doctype html><title>liar</title><iframe src="${src}"></iframe>`))
    // The refused frame ends on Chromium's error page (BROWSER.md), with nothing of the vault in it.
    await expect.poll(() => page.frames()[1]?.url(), { timeout: 5000 }).toBe('chrome-error://chromewebdata/')
    expect(await page.frames()[1]!.locator('input').count()).toBe(0)
    await page.close()
  })

  it('is blocked when an allowed page is itself framed by another origin, and tokenize() rejects after the handshake timeout', async () => {
    const inner = world.host.page('/framed-checkout', cardPage())
    const page = await world.browser.newPage()
    await page.goto(stranger.page('/wrapper', `<!doctype html><title>wrapper</title><iframe src="${inner}" width="600" height="400"></iframe>`))
    const checkout = page.frames().find((f) => f.url() === inner)!
    await checkout.waitForFunction(() => customElements.get('tessera-card') !== undefined)
    const card = page.frames().find((f) => f.parentFrame() === checkout)
    expect(card?.url()).not.toContain('/frame/card')

    const started = Date.now()
    const result = await checkout.evaluate(async () => {
      try {
        await document.querySelector('tessera-card')!.tokenize()
        return { ok: true }
      } catch (error: any) {
        return { ok: false, code: error.code, events: (window as any).tesseraEvents.map((e: any) => e.detail.code) }
      }
    })
    expect(result).toEqual({ ok: false, code: 'frame_unavailable', events: ['frame_unavailable'] })
    expect(await checkout.locator('tessera-card .unavailable').innerText()).toBe('Card payment is not available right now.')
    expect(Date.now() - started).toBeLessThan(HANDSHAKE_TIMEOUT_MS + 2000)
    await page.close()
  }, HANDSHAKE_TIMEOUT_MS + 20_000)
})
