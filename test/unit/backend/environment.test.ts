// The environment is read in one place: backend/config.ts checks every variable against one
// schema into a Config. Anywhere else in backend/ a variable read straight from process.env
// (`process.env.X`, `process.env['X']`, `const { X } = process.env`) would skip that check and its
// documentation. Only the command line's entry points name process.env at all, to hand the whole
// of it to loadConfig/readEnv (or on to a child process); everything else receives a Config.
// Found in the syntax tree, so comments and strings do not count.
import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { sourcesUnder } from '../../helpers/import-graph.js'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const CONFIG = path.join(ROOT, 'backend/config.ts')

/** The command line: where a process starts and its environment is handed to config.ts. */
const ENTRY_POINTS = /^(backend\/(cli\.ts|cli\/[^/]+\.ts)|launcher\/start\.ts)$/

/** The vault's code and the demo launcher (`tessera start`), which runs the vault in its process. */
const VAULT_SOURCES = () => ['backend', 'launcher'].flatMap((dir) => sourcesUnder(path.join(ROOT, dir)))

const isProcessEnv = (node: ts.Node): boolean =>
  ts.isPropertyAccessExpression(node) && node.name.text === 'env' && ts.isIdentifier(node.expression) && node.expression.text === 'process'

/** `file:line: code` for each variable read from process.env (or, with `any`, each mention of it). */
function envReads(file: string, text = fs.readFileSync(file, 'utf8'), any = false): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const visit = (node: ts.Node) => {
    const read =
      (any && isProcessEnv(node)) ||
      ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && isProcessEnv(node.expression)) ||
      (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer !== undefined && isProcessEnv(node.initializer))
    if (read) found.push(`${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText()}`)
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe('the environment is read only by backend/config.ts', () => {
  it('no other file under backend/ or launcher/ reads a variable from process.env', () => {
    const files = VAULT_SOURCES().filter((f) => f !== CONFIG)
    expect(files.length).toBeGreaterThan(50)
    expect(files).toContain(path.join(ROOT, 'launcher/start.ts'))
    expect(files.flatMap((f) => envReads(f))).toEqual([])
  })

  it('only the command line names process.env at all: the vault, the key source and the jobs get a Config', () => {
    const files = VAULT_SOURCES().filter((f) => f !== CONFIG && !ENTRY_POINTS.test(path.relative(ROOT, f)))
    expect(files.flatMap((f) => envReads(f, undefined, true))).toEqual([])
  })

  it('the scan sees each way of reading one, and (unless asked for any mention) passes the whole object handed on', () => {
    const code = [
      "const a = process.env.PORT ?? '1'",
      "const b = process.env['TESSERA_HOST']",
      'const { TESSERA_DATA_DIR } = process.env',
      'const c = process.env?.DATABASE_URL',
      '// process.env.IN_A_COMMENT',
      "const d = 'process.env.IN_A_STRING'",
      'loadConfig(process.env)',
      'spawn(node, [], { env: { ...process.env, TESSERA_LOG_LEVEL: level } })',
    ].join('\n')
    expect(envReads(path.join(ROOT, 'backend/example.ts'), code).map((l) => l.replace(/^backend\/example\.ts:/, ''))).toEqual([
      '1: process.env.PORT',
      "2: process.env['TESSERA_HOST']",
      '3: { TESSERA_DATA_DIR } = process.env',
      '4: process.env?.DATABASE_URL',
    ])
    expect(envReads(path.join(ROOT, 'backend/example.ts'), code, true).map((l) => l.replace(/^backend\/example\.ts:/, '')).slice(-2)).toEqual(['7: process.env', '8: process.env'])
  })
})
