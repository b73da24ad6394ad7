// Issue 17, item 6: how long after the loader arrives the field is ready, over several fresh
// page loads (each a new browser context: a cold cache), and where that time goes. Reported,
// not asserted as a timing (DESIGN.md's goal: 150 ms median, headless Chromium on this
// machine); the test asserts only that every load became ready and that the phases came in
// their order.
import type { ChildProcess } from 'node:child_process'
import os from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runTessera, startTessera, stop } from '../helpers/processes.js'
import { tempDir, TEST_RATE_LIMITS } from '../helpers/vault.js'
import { describeInBrowser, launchChromium } from './support/chromium.js'
import { merchantPage, startHost, type HostServer } from './support/host-server.js'
import { EVENT_RECORDER, waitForEvent } from './support/world.js'

const LOADS = 15

/** Share of the machine's CPU time spent idle over `ms`, from the kernel's per-core counters. */
async function idleShare(ms: number): Promise<number> {
  const sample = () => os.cpus().reduce((sum, cpu) => ({ idle: sum.idle + cpu.times.idle, total: sum.total + Object.values(cpu.times).reduce((a, b) => a + b, 0) }), { idle: 0, total: 0 })
  const before = sample()
  await new Promise((resolve) => setTimeout(resolve, ms))
  const after = sample()
  return (after.idle - before.idle) / Math.max(1, after.total - before.total)
}

/**
 * Waits (at most `maxMs`) until the machine is quiet: two one-second windows in a row at least
 * 85 % idle. Run right after two hundred test files, the cores are still busy for a while (their
 * servers stopping, PostgreSQL's last checkpoint), and the figures would be theirs.
 */
async function quietMachine(maxMs: number): Promise<string> {
  const started = Date.now()
  let quiet = 0
  let last = 0
  while (quiet < 2 && Date.now() - started < maxMs) {
    last = await idleShare(1000)
    quiet = last >= 0.85 ? quiet + 1 : 0
  }
  return `waited ${((Date.now() - started) / 1000).toFixed(0)} s for a quiet machine (${(last * 100).toFixed(0)} % idle${quiet < 2 ? ', not reached' : ''})`
}

/**
 * Marks on the host's clock: the element defined (the loader evaluated), the iframe inserted in
 * its shadow root, and the frame's `loaded` and `connect` messages arriving.
 */
const PHASE_RECORDER = `<script>
window.tesseraMarks = {};
const mark = (name) => (window.tesseraMarks[name] ??= performance.now());
customElements.whenDefined('tessera-card').then(() => mark('defined'));
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  const root = attach.call(this, init);
  new MutationObserver(() => root.querySelector('iframe') && mark('iframe')).observe(root, { childList: true, subtree: true });
  return root;
};
addEventListener('message', (e) => e.data && e.data.type && mark(e.data.type));
</script>`

/** Milliseconds after the loader's last byte, per phase, for one fresh page (cold cache). */
type Phases = Record<string, number>

const FRAME_TIMES = () => {
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
  const at = (t: number) => performance.timeOrigin + t
  const res = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => ({ name: e.name, start: at(e.startTime), end: at(e.responseEnd) }))
  const marks = Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, at(m.startTime)]))
  return { navStart: at(0), requestStart: at(nav.requestStart), responseStart: at(nav.responseStart), responseEnd: at(nav.responseEnd), domInteractive: at(nav.domInteractive), res, marks }
}

describeInBrowser('time to ready', () => {
  // The vault runs as its own process (`tessera serve`), as it is deployed: in the test's process
  // it would share an event loop with Playwright, which is busy exactly while the frame loads.
  let vault: { url: string; child: ChildProcess }
  let host: HostServer
  let browser: Browser
  let publishableKey: string

  beforeAll(async () => {
    const dataDir = tempDir('tessera-ready-')
    const env = { TESSERA_RATE_LIMITS: TEST_RATE_LIMITS }
    ;[host, browser] = await Promise.all([startHost(), launchChromium()])
    const created = await runTessera(['project', 'create', '--name', 'Ready', '--origin', host.origin, '--json', '--data', dataDir], env)
    expect(created.code, created.stderr).toBe(0)
    publishableKey = JSON.parse(created.stdout).test.publishable_key
    const started = await startTessera(['serve', '--port', '0', '--data', dataDir], /"url":"(http:\/\/127\.0\.0\.1:\d+)"/, env)
    // localhost: another origin than the host page's 127.0.0.1.
    vault = { url: (started.match[1] as string).replace('127.0.0.1', 'localhost'), child: started.child }
    console.log(`[tessera] ${await quietMachine(45_000)}`)
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await host?.close()
    if (vault) await stop(vault.child)
  })

  async function loadOnce(attributes: string): Promise<Phases> {
    const page: Page = await browser.newPage()
    const body = `<tessera-card publishable-key="${publishableKey}" ${attributes}></tessera-card>`
    await page.goto(host.page(`/r${Math.random().toString(36).slice(2)}`, merchantPage(vault.url, body, EVENT_RECORDER + PHASE_RECORDER)))
    const ready = await waitForEvent(page, 'tessera-ready')
    const inHost = await page.evaluate(() => ({
      origin: performance.timeOrigin,
      loader: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => e.name.endsWith('/v1/tessera.js'))!.responseEnd,
      marks: (window as any).tesseraMarks as Record<string, number>,
    }))
    const frame = await (await page.locator('tessera-card iframe').elementHandle())!.contentFrame()
    const inFrame = await frame!.evaluate(FRAME_TIMES)
    await page.close()
    const fromLoader = (hostTime: number) => hostTime - inHost.loader
    const fromLoaderAbs = (absolute: number) => absolute - inHost.origin - inHost.loader
    const script = inFrame.res.find((r) => /\/card-[^/]*\.js$/.test(r.name))
    const style = inFrame.res.find((r) => /\/card-[^/]*\.css$/.test(r.name))
    const language = inFrame.res.find((r) => /\/i18n-[^/]*\.js$/.test(r.name))
    return {
      'element defined': fromLoader(inHost.marks.defined!),
      'iframe inserted': fromLoader(inHost.marks.iframe!),
      'frame request': fromLoaderAbs(inFrame.navStart),
      'frame HTML request sent': fromLoaderAbs(inFrame.requestStart),
      'frame HTML first byte': fromLoaderAbs(inFrame.responseStart),
      'frame HTML last byte': fromLoaderAbs(inFrame.responseEnd),
      'frame JS requested': script ? fromLoaderAbs(script.start) : NaN,
      'frame CSS last byte': style ? fromLoaderAbs(style.end) : NaN,
      'frame JS last byte': script ? fromLoaderAbs(script.end) : NaN,
      ...(language ? { 'language chunk last byte': fromLoaderAbs(language.end) } : {}),
      'frame DOM interactive': fromLoaderAbs(inFrame.domInteractive),
      ...Object.fromEntries(Object.entries(inFrame.marks).map(([k, t]) => [`frame mark ${k}`, fromLoaderAbs(t)])),
      'frame announced (loaded)': fromLoader(inHost.marks.loaded!),
      'port handed over (connect)': fromLoader(inHost.marks.connect!),
      'tessera-ready': fromLoader(ready.at),
    }
  }

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

  it.each([
    ['English', ''],
    ['German (a language chunk)', 'locale="de"'],
  ])('reports loader → tessera-ready for %s', async (name, attributes) => {
    await loadOnce(attributes) // the vault's first frame request warms its own caches
    const loads: Phases[] = []
    for (let i = 0; i < LOADS; i++) loads.push(await loadOnce(attributes))
    const ready = loads.map((l) => l['tessera-ready']!).sort((a, b) => a - b)
    const breakdown = Object.keys(loads[0]!).map((phase) => `  ${phase.padEnd(28)} ${median(loads.map((l) => l[phase]!)).toFixed(0).padStart(5)} ms`)
    const row = (l: Phases) => ['frame request', 'frame HTML last byte', 'frame JS requested', 'frame JS last byte', 'frame announced (loaded)', 'port handed over (connect)', 'tessera-ready'].map((k) => l[k]!.toFixed(0).padStart(4)).join(' ')
    console.log(`[tessera] per load: request, HTML, JS requested, JS, loaded, connect, ready\n${loads.map(row).join('\n')}`)
    console.log(
      `[tessera] loader arrived → tessera-ready, ${name}: median ${median(ready).toFixed(0)} ms (min ${ready[0]!.toFixed(0)}, max ${ready.at(-1)!.toFixed(0)}) over ${LOADS} loads\n` +
        `  phase (median ms after the loader's last byte):\n${breakdown.join('\n')}`,
    )
    for (const load of loads) {
      expect(load['tessera-ready']).toBeGreaterThan(0)
      expect(load['frame announced (loaded)']).toBeLessThanOrEqual(load['tessera-ready']!)
      // The page's early script announced the frame before its main script ran (early.ts).
      expect(load['frame mark tessera:early']).toBeLessThan(load['frame mark tessera:script']!)
    }
    expect(median(ready)).toBeLessThan(5000)
  }, 120_000)
})
