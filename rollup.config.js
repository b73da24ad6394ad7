// Builds the two browser bundles, minified:
//   dist/tessera.js         the loader (an ES module defining <tessera-card>), one file so one SRI hash covers it
//   dist/frame/card-*.js    the frame's script, card-*.css its stylesheet, card.html and error.html
//                           the pages that load them (content-hashed names, SRI attributes filled in)
//   dist/pay/pay-*.js        the hosted payment page's script, pay-*.css its stylesheet, manifest.json
//                           their names and SRI hashes (the vault renders the page around them)
import { createHash } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import { transform } from 'esbuild'
import esbuild from 'rollup-plugin-esbuild'

const TARGET = 'es2022'

// Every build starts clean: hashed frame files of earlier builds must not linger in dist/.
rmSync('dist', { recursive: true, force: true })

const plugins = () => [
  nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
  // credit-card-type ships CommonJS only: esbuild pre-bundles it as ESM (no commonjs plugin needed).
  esbuild({ target: TARGET, minify: true, legalComments: 'none', sourceMap: false, optimizeDeps: { include: ['credit-card-type'] } }),
]

const integrity = (source) => `sha384-${createHash('sha384').update(source).digest('base64')}`

/** Emits the frame's stylesheet and its two HTML pages, pointing at the hashed file names. */
function framePages() {
  return {
    name: 'tessera-frame-pages',
    async generateBundle(_options, bundle) {
      const css = (await transform(readFileSync('widget/frame/card.css', 'utf8'), { loader: 'css', minify: true, target: TARGET })).code
      const cssName = this.getFileName(this.emitFile({ type: 'asset', name: 'card.css', source: css }))
      const entry = Object.values(bundle).find((chunk) => chunk.type === 'chunk' && chunk.isEntry)
      const values = { css: cssName, cssIntegrity: integrity(css), js: entry.fileName, jsIntegrity: integrity(entry.code) }
      for (const page of ['card.html', 'error.html']) {
        const template = readFileSync(`widget/frame/${page}`, 'utf8')
        const source = template.replace(/\{\{(\w+)\}\}/g, (_, key) => values[key])
        this.emitFile({ type: 'asset', fileName: page, source })
      }
    },
  }
}

/** The payment page's stylesheet (the frame's, then the page's own) and a manifest the vault reads. */
function payPageAssets() {
  return {
    name: 'tessera-pay-page',
    async generateBundle(_options, bundle) {
      const source = ['widget/frame/card.css', 'widget/pay/pay.css'].map((f) => readFileSync(f, 'utf8')).join('\n')
      const css = (await transform(source, { loader: 'css', minify: true, target: TARGET })).code
      const cssName = this.getFileName(this.emitFile({ type: 'asset', name: 'pay.css', source: css }))
      const entry = Object.values(bundle).find((chunk) => chunk.type === 'chunk' && chunk.isEntry)
      const manifest = { js: entry.fileName, jsIntegrity: integrity(entry.code), css: cssName, cssIntegrity: integrity(css) }
      this.emitFile({ type: 'asset', fileName: 'manifest.json', source: JSON.stringify(manifest) })
    },
  }
}

export default [
  {
    input: 'widget/index.ts',
    output: { file: 'dist/tessera.js', format: 'es', inlineDynamicImports: true },
    plugins: plugins(),
  },
  {
    input: { card: 'widget/frame/main.ts' },
    output: {
      dir: 'dist/frame',
      format: 'es',
      entryFileNames: '[name]-[hash].js',
      assetFileNames: '[name]-[hash][extname]',
      inlineDynamicImports: true,
    },
    plugins: [...plugins(), framePages()],
  },
  {
    input: { pay: 'widget/pay/main.ts' },
    output: {
      dir: 'dist/pay',
      format: 'es',
      entryFileNames: '[name]-[hash].js',
      assetFileNames: '[name]-[hash][extname]',
      inlineDynamicImports: true,
    },
    plugins: [...plugins(), payPageAssets()],
  },
]
