// Every `tessera …` command README.md and docs/*.md show (in inline code or a code line, written
// `tessera …` or `node bin/tessera.js …`) is one the CLI has, and every flag shown with it is one
// that command takes: checked against the real commander program. That the documented way to run
// it works as written is test/integration/cli/documented-form.test.ts.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { buildProgram } from '../../../backend/cli.js'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const DOCS = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]

/** Inline code spans, and the lines of fenced or indented code blocks. */
function codeOf(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].flatMap((m) => (m[1] as string).split('\n'))
  const prose = markdown.replace(/^```[a-z]*\n[\s\S]*?^```/gm, '')
  const indented = prose.split('\n').filter((l) => /^ {4}\S/.test(l))
  const inline = [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string)
  return [...fenced, ...indented, ...inline]
}

/** Each `tessera <command…> [flags]` in a piece of code: the command's words and the flags shown. */
function invocations(code: string): { words: string[]; flags: string[]; text: string }[] {
  return [...code.matchAll(/(?:^|\s)(?:node bin\/tessera\.js|tessera)(?=\s|$)(.*)$/gm)].map((m) => {
    const rest = (m[1] as string).trim()
    const words: string[] = []
    for (const token of rest.split(/\s+/)) {
      if (!/^[a-z][a-z-]*$/.test(token)) break
      words.push(token)
    }
    return { words, flags: [...rest.matchAll(/--[a-z][a-z0-9-]*/g)].map((f) => f[0]), text: m[0].trim() }
  })
}

/** What is wrong with one documented invocation, if anything. */
function problemsOf(program: Command, invocation: { words: string[]; flags: string[]; text: string }): string[] {
  let command = program
  for (const word of invocation.words) {
    const next = command.commands.find((c) => c.name() === word || c.aliases().includes(word))
    if (!next) {
      if (command.commands.length > 0) return [`${invocation.text}: no command "${word}"`]
      break
    }
    command = next
  }
  const known = new Set(['--help', ...command.options.map((o) => o.long).filter((l): l is string => l !== undefined)])
  return invocation.flags.filter((f) => !known.has(f)).map((f) => `${invocation.text}: ${command.name()} takes no ${f}`)
}

function documentedProblems(markdown: string): { count: number; problems: string[] } {
  const program = buildProgram()
  const found = codeOf(markdown).flatMap(invocations)
  return { count: found.length, problems: found.flatMap((i) => problemsOf(program, i)) }
}

describe('the commands the docs show', () => {
  it.each(DOCS)('%s: every tessera command exists and takes the flags shown with it', (file) => {
    const { problems } = documentedProblems(readFileSync(path.join(ROOT, file), 'utf8'))
    expect(problems).toEqual([])
  })

  it('finds the command tables and the commands in prose', () => {
    expect(documentedProblems(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).count).toBeGreaterThan(25)
  })

  it('says no `npx tessera`: the checkout is run with node bin/tessera.js', () => {
    for (const file of DOCS) expect(readFileSync(path.join(ROOT, file), 'utf8'), file).not.toMatch(/npx tessera\b/)
  })

  it('catches a misspelt command, an unknown flag and a flag of another command', () => {
    const doc = [
      '| `tessera project craete --name N` | |',
      'Run `tessera serve --wrokers 2`.',
      '',
      '    node bin/tessera.js demo --data ./data',
      '',
      '```sh',
      'node bin/tessera.js api-key roll KEY_ID --project ID --expires-in-hours 0',
      '```',
    ].join('\n')
    expect(documentedProblems(doc)).toEqual({
      count: 4,
      problems: [
        'node bin/tessera.js demo --data ./data: demo takes no --data',
        'tessera project craete --name N: no command "craete"',
        'tessera serve --wrokers 2: serve takes no --wrokers',
      ],
    })
  })
})
