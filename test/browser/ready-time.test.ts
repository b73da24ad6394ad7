// Issue 17, item 6: how long after the loader arrives the field is ready, over several fresh
// page loads. Reported, not asserted as a timing (DESIGN.md's goal: 150 ms median, headless
// Chromium on this machine); the test asserts only that every load became ready.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeInBrowser } from './support/chromium.js'
import { merchantPage } from './support/host-server.js'
import { EVENT_RECORDER, startWorld, waitForEvent, type World } from './support/world.js'

const LOADS = 9

describeInBrowser('time to ready', () => {
  let world: World

  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(() => world?.close())

  /** Milliseconds from the loader's last byte to tessera-ready, on a fresh page (cold cache). */
  async function loadOnce(attributes: string): Promise<number> {
    const page = await world.browser.newPage()
    const body = `<tessera-card publishable-key="${world.keys.test.publishable_key}" ${attributes}></tessera-card>`
    await page.goto(world.host.page(`/r${Math.random().toString(36).slice(2)}`, merchantPage(world.vault.url, body, EVENT_RECORDER)))
    const ready = await waitForEvent(page, 'tessera-ready')
    const loaderArrived = await page.evaluate(() => (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => e.name.endsWith('/v1/tessera.js'))!.responseEnd)
    await page.close()
    return ready.at - loaderArrived
  }

  const summary = (samples: number[]) => {
    const sorted = [...samples].sort((a, b) => a - b)
    const median = sorted[Math.floor(sorted.length / 2)]!
    return { median, min: sorted[0]!, max: sorted.at(-1)!, text: `median ${median.toFixed(0)} ms (min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)}) over ${sorted.length} loads` }
  }

  it.each([
    ['English', ''],
    ['German (a language chunk)', 'locale="de"'],
  ])('reports loader → tessera-ready for %s', async (name, attributes) => {
    await loadOnce(attributes) // the vault's first frame request warms its own caches
    const samples: number[] = []
    for (let i = 0; i < LOADS; i++) samples.push(await loadOnce(attributes))
    const { median, text } = summary(samples)
    console.log(`[tessera] loader arrived → tessera-ready, ${name}: ${text}`)
    expect(samples.every((s) => s > 0)).toBe(true)
    expect(median).toBeLessThan(5000)
  }, 120_000)
})
