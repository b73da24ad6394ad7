// Launching Debian's Chromium through playwright-core, and the rule for when it is missing:
// in CI (CI=true) the browser suites fail; on a developer machine they skip and say why.
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { describe, it } from 'vitest'

export const CHROMIUM_PATH = process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium'

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** A fresh browser (Playwright gives each launch its own temporary profile). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS })
}

/** `describe` for a browser suite, with the missing-Chromium rule applied. */
export function describeInBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, body)
    return
  }
  if (process.env.CI && process.env.CI !== 'false') {
    describe(name, () => {
      it('has Chromium to run in', () => {
        throw new Error(`Chromium not found at ${CHROMIUM_PATH}: browser tests may not be skipped in CI (apt-get install chromium, or set TESSERA_CHROMIUM).`)
      })
    })
    return
  }
  console.warn(`[browser tests] skipped "${name}": Chromium not found at ${CHROMIUM_PATH} (set TESSERA_CHROMIUM to run them)`)
  describe.skip(name, body)
}
