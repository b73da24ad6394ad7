import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

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
})
