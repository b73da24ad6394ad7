// The environment is read in one place: backend/config.ts checks every variable against one
// schema. Anywhere else in backend/ a variable read straight from process.env (`process.env.X`,
// `process.env['X']`, `const { X } = process.env`) would skip that check and its documentation;
// handing the whole of process.env to loadConfig/readEnv, or on to a child process, is fine.
// Found in the syntax tree, so comments and strings do not count.
import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { sourcesUnder } from '../../helpers/import-graph.js'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const CONFIG = path.join(ROOT, 'backend/config.ts')

const isProcessEnv = (node: ts.Node): boolean =>
  ts.isPropertyAccessExpression(node) && node.name.text === 'env' && ts.isIdentifier(node.expression) && node.expression.text === 'process'

/** `file:line: code` for each variable read from process.env. */
function envReads(file: string, text = fs.readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const visit = (node: ts.Node) => {
    const read =
      ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && isProcessEnv(node.expression)) ||
      (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer !== undefined && isProcessEnv(node.initializer))
    if (read) found.push(`${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText()}`)
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe('the environment is read only by backend/config.ts', () => {
  it('no other file under backend/ reads a variable from process.env', () => {
    const files = sourcesUnder(path.join(ROOT, 'backend')).filter((f) => f !== CONFIG)
    expect(files.length).toBeGreaterThan(50)
    expect(files.flatMap((f) => envReads(f))).toEqual([])
  })

  it('the scan sees each way of reading one, and passes the whole object handed on', () => {
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
  })
})
