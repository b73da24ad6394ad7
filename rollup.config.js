// Builds the two browser bundles, minified:
//   dist/tessera.js         the loader (an ES module defining <tessera-card>), one file so one SRI hash covers it
//   dist/chunks/*.js        code the loader imports on demand (handleNextAction's dialog), served at /v1/chunks/
//   dist/frame/three-d-secure*  the vault's 3-D Secure page (GET /three-d-secure/:id) and its script and stylesheet
//   dist/frame/card-*.js    the frame's script, card-*.css its stylesheet, card.html and error.html
//                           the pages that load them (content-hashed names, SRI attributes filled in)
//   dist/pay/pay-*.js        the hosted payment page's script, pay-*.css its stylesheet, manifest.json
//                           their names and SRI hashes (the vault renders the page around them)
//   *.js.br, *.js.gz, *.css.br, *.css.gz  each script's and stylesheet's Brotli and gzip encodings
import { createHash } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import { transform } from 'esbuild'
import esbuild from 'rollup-plugin-esbuild'

const TARGET = 'es2022'

// Every build starts clean: hashed frame files of earlier builds must not linger in dist/.
rmSync('dist', { recursive: true, force: true })

/**
 * Writes each script and stylesheet's Brotli (`.br`) and gzip (`.gz`) encodings beside it, once
 * per build: the vault answers with the one the browser accepts (backend/http/static-asset.ts).
 */
function precompressed() {
  return {
    name: 'tessera-precompressed',
    writeBundle(options, bundle) {
      for (const [fileName, output] of Object.entries(bundle)) {
        if (!/\.(js|css)$/.test(fileName)) continue
        const source = Buffer.from(output.type === 'chunk' ? output.code : output.source)
        const file = join(options.dir, fileName)
        writeFileSync(`${file}.br`, brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: source.length } }))
        writeFileSync(`${file}.gz`, gzipSync(source, { level: 9 }))
      }
    },
  }
}

const plugins = () => [
  nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
  // credit-card-type ships CommonJS only: esbuild pre-bundles it as ESM (no commonjs plugin needed).
  esbuild({ target: TARGET, minify: true, legalComments: 'none', sourceMap: false, optimizeDeps: { include: ['credit-card-type'] } }),
  precompressed(),
]

const integrity = (source) => `sha384-${createHash('sha384').update(source).digest('base64')}`

/** Emits a page's stylesheet and its HTML pages, pointing at the hashed file names. */
function pages(dir, stylesheet, cssName, templates) {
  return {
    name: 'tessera-pages',
    async generateBundle(_options, bundle) {
      const css = (await transform(readFileSync(`${dir}/${stylesheet}`, 'utf8'), { loader: 'css', minify: true, target: TARGET })).code
      const cssFile = this.getFileName(this.emitFile({ type: 'asset', name: cssName, source: css }))
      const entries = Object.values(bundle).filter((chunk) => chunk.type === 'chunk' && chunk.isEntry)
      const entry = entries.find((chunk) => chunk.name !== 'early')
      const early = entries.find((chunk) => chunk.name === 'early')
      const values = { css: cssFile, cssIntegrity: integrity(css), js: entry.fileName, jsIntegrity: integrity(entry.code) }
      // The card page's first script (widget/frame/early.ts), when the build has one.
      if (early) Object.assign(values, { earlyJs: early.fileName, earlyJsIntegrity: integrity(early.code) })
      for (const page of templates) {
        const template = readFileSync(`${dir}/${page}`, 'utf8')
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
    // Shared code stays in tessera.js (which then exports a little more for the chunk to import),
    // so the loader remains one file under one SRI hash.
    preserveEntrySignatures: 'allow-extension',
    // The dialog of handleNextAction is a chunk of its own, loaded on first use: not in the loader's budget.
    output: { dir: 'dist', entryFileNames: 'tessera.js', chunkFileNames: 'chunks/[name]-[hash].js', format: 'es' },
    plugins: plugins(),
  },
  {
    // early.ts imports nothing, so it stays one small file of its own (no chunk shared with card).
    input: { card: 'widget/frame/main.ts', early: 'widget/frame/early.ts' },
    output: {
      dir: 'dist/frame',
      format: 'es',
      entryFileNames: '[name]-[hash].js',
      // Each language but English is its own chunk (widget/frame/i18n), fetched only when chosen.
      chunkFileNames: 'i18n-[name]-[hash].js',
      assetFileNames: '[name]-[hash][extname]',
    },
    plugins: [...plugins(), pages('widget/frame', 'card.css', 'card.css', ['card.html', 'error.html'])],
  },
  {
    input: { 'three-d-secure': 'widget/three-d-secure/main.ts' },
    output: { dir: 'dist/frame', format: 'es', entryFileNames: '[name]-[hash].js', assetFileNames: '[name]-[hash][extname]' },
    plugins: [...plugins(), pages('widget/three-d-secure', 'page.css', 'three-d-secure.css', ['three-d-secure.html'])],
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
