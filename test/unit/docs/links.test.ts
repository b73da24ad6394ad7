// Issue 17, item 9: the README and docs/ link only to files inside the repository, and every such
// link resolves.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const DOCS = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]

/** Markdown link and image targets, outside code blocks and code spans. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '')
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1] as string)
}

describe('documentation links', () => {
  for (const doc of DOCS) {
    it(`${doc}: every relative link resolves to a file inside the repository`, () => {
      const text = readFileSync(path.join(ROOT, doc), 'utf8')
      const problems: string[] = []
      for (const target of linkTargets(text)) {
        if (/^(https?:|mailto:|#)/.test(target)) continue
        const file = path.resolve(ROOT, path.dirname(doc), decodeURIComponent(target.split('#')[0] as string))
        if (!file.startsWith(ROOT + path.sep)) problems.push(`${target}: outside the repository`)
        else if (!existsSync(file)) problems.push(`${target}: no such file`)
      }
      expect(problems).toEqual([])
    })

    it(`${doc}: points to no folder outside the repository`, () => {
      const text = readFileSync(path.join(ROOT, doc), 'utf8')
      expect(text.match(/\.\.\/shared\//g) ?? []).toEqual([])
    })
  }
})
