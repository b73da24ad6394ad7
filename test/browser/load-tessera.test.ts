// @tessera/card's loadTessera() in a real browser: it resolves with the vault's loader module
// once <tessera-card> is defined, and rejects with a typed error (code loader_unavailable) when
// the loader cannot load, instead of a later `tokenize is not a function`.
import { readFileSync } from 'node:fs'
import { transform } from 'esbuild'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeInBrowser } from './support/chromium.js'
import { startWorld, type World } from './support/world.js'

describeInBrowser('loadTessera() from @tessera/card', () => {
  let world: World
  let loader: string

  beforeAll(async () => {
    world = await startWorld()
    // The package's code as the tarball ships it: the TypeScript compiled, types erased.
    loader = (await transform(readFileSync('packages/card/index.ts', 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022' })).code
  })
  afterAll(() => world?.close())

  async function run(script: string): Promise<any> {
    const page = await world.browser.newPage()
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title></head><body>
<tessera-card publishable-key="${world.keys.test.publishable_key}"></tessera-card>
<script type="module">${loader}
window.result = (async () => { ${script} })().catch((e) => ({ thrown: String(e) }))</script></body></html>`
    await page.goto(world.host.page(`/p${Math.random().toString(36).slice(2)}`, html))
    const result = await page.evaluate(() => (window as any).result)
    await page.close()
    return result
  }

  it('resolves once <tessera-card> is defined, with the vault loader module, loading it once', async () => {
    const result = await run(`
      const vaultUrl = ${JSON.stringify(world.vault.url)}
      const [a, b] = await Promise.all([loadTessera({ vaultUrl }), loadTessera({ vaultUrl: vaultUrl + '/' })])
      const card = document.querySelector('tessera-card')
      return { same: a === b, defined: customElements.get('tessera-card') === a.TesseraCard, upgraded: card instanceof a.TesseraCard, tokenize: typeof card.tokenize, version: a.PROTOCOL_VERSION }`)
    expect(result).toEqual({ same: true, defined: true, upgraded: true, tokenize: 'function', version: 1 })
  })

  it('rejects with TesseraLoadError code loader_unavailable when the vault does not answer, and again (not cached) on retry', async () => {
    const result = await run(`
      const attempt = () => loadTessera({ vaultUrl: 'http://127.0.0.1:9', timeoutMs: 5000 }).then(() => 'resolved', (e) => ({ name: e.name, code: e.code, type: e.type, url: e.loaderUrl, isError: e instanceof TesseraLoadError }))
      return { first: await attempt(), second: await attempt(), defined: customElements.get('tessera-card') !== undefined }`)
    const refusal = { name: 'TesseraLoadError', code: 'loader_unavailable', type: 'api_error', url: 'http://127.0.0.1:9/v1/tessera.js', isError: true }
    expect(result).toEqual({ first: refusal, second: refusal, defined: false })
  })

  it('rejects a vaultUrl that is not an http(s) URL, and a script that defines no element', async () => {
    const result = await run(`
      const code = (p) => p.then(() => 'resolved', (e) => e.code + ': ' + e.message)
      return { bad: await code(loadTessera({ vaultUrl: 'javascript:alert(1)' })), notLoader: await code(loadTessera({ vaultUrl: ${JSON.stringify(world.vault.url + '/v1/jwks-not-a-loader/')} })) }`)
    expect(result.bad).toMatch(/^loader_unavailable: vaultUrl "javascript:alert\(1\)" is not an http\(s\) URL/)
    expect(result.notLoader).toMatch(/^loader_unavailable: /)
  })
})
