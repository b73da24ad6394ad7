// axe-core on the card frame: WCAG 2.1 A/AA and best-practice rules, injected over the DevTools
// protocol (which the frame's CSP does not govern), so the frame page stays free of test code.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Frame } from 'playwright-core'

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** The violations axe-core finds in the frame's document (or only under `include`, a selector), one line each. */
export async function axeViolations(frame: Frame, include?: string): Promise<string[]> {
  if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(AXE_SOURCE)
  const result = await frame.evaluate((selector) =>
    (window as any).axe.run(selector ? { include: [[selector]] } : document, {
      runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      // The frame is one part of the merchant's page, whose headings are the merchant's:
      // a heading of its own would only add noise to a screen reader's heading list.
      rules: { 'page-has-heading-one': { enabled: false } },
    }),
    include,
  )
  return result.violations.map((v: any) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => n.target.join(' ')).join(', ')})`)
}
