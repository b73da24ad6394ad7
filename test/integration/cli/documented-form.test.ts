// The way README.md says to run the CLI from a checkout, taken from the README and run as written
// by a shell in the repository's root: `--version` and `project create --help` answer. (That
// every command and flag the docs show exists: test/unit/docs/commands.test.ts.)
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version

/** The command the README's "Command line" section says to run, without its `...`. */
function documentedCommand(): string {
  const match = /Run from the checkout \(after `npm install`\) as `([^`]+?) \.\.\.`/.exec(README)
  if (!match) throw new Error('README.md no longer says how to run the CLI from the checkout')
  return match[1] as string
}

const run = (line: string) => promisify(execFile)('sh', ['-c', line], { cwd: ROOT, timeout: 60_000 })

describe('the CLI as README.md says to run it', () => {
  it('is the package.json bin, run with node', () => {
    const bin = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin.tessera
    expect(documentedCommand()).toBe(`node ${bin}`)
  })

  it('prints the version', async () => {
    const { stdout, stderr } = await run(`${documentedCommand()} --version`)
    expect(stdout.trim()).toBe(VERSION)
    expect(stderr).toBe('')
  })

  it('answers project create --help with its usage and flags', async () => {
    const { stdout, stderr } = await run(`${documentedCommand()} project create --help`)
    expect(stdout).toMatch(/^Usage: tessera project create \[options\]/)
    for (const flag of ['--name', '--origin', '--data', '--json']) expect(stdout).toContain(flag)
    expect(stderr).toBe('')
  })
})
