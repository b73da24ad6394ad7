// `npx tsx scripts/bench/ready-time.ts [loads]`: the loader's last byte → tessera-ready in headless
// Chromium with no driver attached. test/browser/ready-time.test.ts measures the same under
// Playwright, which pauses every new cross-origin frame while it attaches (BROWSER.md); here each
// load is a fresh Chromium process and profile (cold cache, no debugger), and the page reports its
// own figures to the host server. Loopback only; bounded: each load is killed after 20 s.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CHROMIUM_PATH } from '../../test/browser/support/chromium.js'
import { merchantPage, startHost } from '../../test/browser/support/host-server.js'
import { startVault } from '../../test/helpers/vault.js'

const LOADS = Number(process.argv[2] ?? 9)
const LOCALES = ['en', 'de']

/** Marks on the host's clock, sent to the host server once the field is ready. */
const REPORTER = `<script>
const marks = {};
addEventListener('message', (e) => e.data && e.data.type && (marks[e.data.type] ??= performance.now()));
document.addEventListener('tessera-ready', () => {
  const at = performance.now();
  const entries = performance.getEntriesByType('resource');
  const loader = entries.find((e) => e.name.endsWith('/v1/tessera.js')).responseEnd;
  const frame = entries.find((e) => e.initiatorType === 'iframe');
  const report = { ready: at - loader, loaded: marks.loaded - loader, connect: marks.connect - loader, frameStart: frame ? frame.startTime - loader : null };
  fetch('/report', { method: 'POST', body: JSON.stringify(report) });
});
</script>`

type Report = Record<'ready' | 'loaded' | 'connect' | 'frameStart', number>

const vault = await startVault({ hostname: 'localhost' })
const host = await startHost()
const keys = await vault.createProject({ origins: [host.origin] })

async function loadOnce(locale: string): Promise<Report> {
  const body = `<tessera-card publishable-key="${keys.test.publishable_key}" locale="${locale}"></tessera-card>`
  const url = host.page(`/r${Math.random().toString(36).slice(2)}`, merchantPage(vault.url, body, REPORTER))
  const profile = mkdtempSync(path.join(os.tmpdir(), 'tessera-ready-'))
  const before = host.posts.length
  const reported = new Promise<Report>((resolve, reject) => {
    const started = Date.now()
    const poll = setInterval(() => {
      const post = host.posts.slice(before).find((p) => p.path === '/report')
      if (post) resolve(JSON.parse(post.body))
      else if (Date.now() - started < 20_000) return
      else reject(new Error('no report within 20 s'))
      clearInterval(poll)
    }, 20)
  })
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, url]
  const chromium = spawn(CHROMIUM_PATH, args, { stdio: 'ignore' })
  try {
    return await reported
  } finally {
    chromium.kill()
    await new Promise((resolve) => chromium.once('exit', resolve))
    // Chromium's helpers may still be closing files in the profile for a moment (BROWSER.md).
    await new Promise((resolve) => setTimeout(resolve, 200))
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 })
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
try {
  for (const locale of LOCALES) {
    await loadOnce(locale) // the vault's first frame request warms its caches
    const samples: Report[] = []
    for (let i = 0; i < LOADS; i++) samples.push(await loadOnce(locale))
    const ready = samples.map((s) => s.ready).sort((a, b) => a - b)
    const phase = (name: keyof Report) => median(samples.map((s) => s[name])).toFixed(0)
    console.log(
      `${locale}: loader → tessera-ready median ${median(ready).toFixed(0)} ms (min ${ready[0]!.toFixed(0)}, max ${ready.at(-1)!.toFixed(0)}) over ${LOADS} loads, no driver; ` +
        `medians: frame request ${phase('frameStart')}, frame script ran (loaded) ${phase('loaded')}, port (connect) ${phase('connect')}; load average ${os.loadavg()[0]!.toFixed(2)}`,
    )
  }
} finally {
  await host.close()
  await vault.close()
}
