import { readFileSync } from 'node:fs'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION } from '../../../widget/protocol.js'

/** The source files one entry point pulls in, as esbuild resolves them for the browser. */
async function inputsOf(entry: string): Promise<string[]> {
  const result = await build({ entryPoints: [entry], bundle: true, write: false, metafile: true, platform: 'browser', format: 'esm', logLevel: 'silent' })
  return Object.keys(result.metafile.inputs)
}

describe('bundle boundaries', () => {
  it('keeps the frame, its crypto and its card tables out of the loader', async () => {
    const inputs = await inputsOf('widget/index.ts')
    expect(inputs.filter((path) => /widget\/frame\/|node_modules\/(jose|credit-card-type)\//.test(path))).toEqual([])
    expect(inputs).toContain('widget/protocol.ts')
  })

  it('keeps the element and Lit out of the frame', async () => {
    const inputs = await inputsOf('widget/frame/main.ts')
    expect(inputs.filter((path) => /widget\/element\/|node_modules\/(lit|lit-html|lit-element|@lit)\//.test(path))).toEqual([])
  })

  it("keeps the frame page's early script a file of its own that imports nothing and speaks the protocol's version", async () => {
    expect(await inputsOf('widget/frame/early.ts')).toEqual(['widget/frame/early.ts'])
    const version = /EARLY_PROTOCOL_VERSION = (\d+)/.exec(readFileSync('widget/frame/early.ts', 'utf8'))?.[1]
    expect(Number(version)).toBe(PROTOCOL_VERSION)
  })
})
