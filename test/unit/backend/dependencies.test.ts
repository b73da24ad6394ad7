// Dependencies point one way: the vault does not import the frame's code or the demo (card
// rules and test cards live in common/; `tessera start`, which runs both, is launcher/start.ts),
// storage calls no service, and common/ depends on nothing of ours. Read from the source files'
// import lines.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '../../..')

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
}

/** Every module a file imports (static or dynamic), as a path from the repository root; `import type` only when asked. */
function importsOf(file: string, withTypes = true): string[] {
  let text = fs.readFileSync(path.join(ROOT, file), 'utf8')
  if (!withTypes) text = text.replace(/^import type [^\n]*\n/gm, '')
  const specifiers = [...text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)].map((m) => m[1] as string)
  return specifiers.map((s) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), s)))
}

function offenders(dir: string, forbidden: RegExp, except: string[] = [], withTypes = true): string[] {
  return sources(dir)
    .filter((f) => !except.includes(f))
    .flatMap((f) => importsOf(f, withTypes).filter((i) => forbidden.test(i)).map((i) => `${f} -> ${i}`))
}

describe('dependency direction', () => {
  it('the vault imports nothing from the frame (widget/frame/), and nothing from demo/ but the CLI commands that run the demo (the launcher of `tessera start` lives in launcher/)', () => {
    expect(offenders('backend', /^widget\/frame\//)).toEqual([])
    expect(offenders('backend', /^demo\//, ['backend/cli.ts', 'backend/cli/run-commands.ts'])).toEqual([])
  })

  it('storage calls no service (it may name a type a service defines, e.g. the recorder it wraps)', () => {
    expect(offenders('backend/store', /^backend\/(events|projects|tokens|payments|jobs|http|verification|acquirer)\//, [], false)).toEqual([])
  })

  it('common/ (card rules, test cards, error codes, clock, logger...) depends on nothing of ours, so the frame, the vault and the demo can import it', () => {
    expect(offenders('common', /^(backend|widget|demo)\//)).toEqual([])
  })

  it('the frame imports nothing from the vault or the demo', () => {
    expect(offenders('widget', /^(backend|demo)\//)).toEqual([])
  })
})
