// `npm run size`: the min+gzip size of the loader and of everything the frame page loads,
// and of the hosted payment page's assets, checked against the budgets in DESIGN.md (exits non-zero when over), and the loader's SRI hash.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const DIST = process.argv[2] ?? 'dist'
const KB = 1024
// The hosted payment page loads the frame's code on the vault's origin: it keeps the frame's budget.
const BUDGETS = { loader: 12 * KB, frame: 30 * KB, pay: 30 * KB }

const gzipped = (path) => gzipSync(readFileSync(path), { level: 9 }).length

/** The frame page plus the script and stylesheet it references, and its largest language. */
function frameFiles() {
  const page = readFileSync(join(DIST, 'frame', 'card.html'), 'utf8')
  const assets = [...page.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => join(DIST, 'frame', m[1]))
  if (assets.length < 2) throw new Error('card.html references no script or stylesheet: run npm run build')
  // A language other than English is one lazily fetched chunk: the largest counts.
  const languages = readdirSync(join(DIST, 'frame')).filter((f) => /^i18n-.*\.js$/.test(f)).map((f) => join(DIST, 'frame', f))
  const largest = languages.sort((a, b) => gzipped(b) - gzipped(a))[0]
  return [join(DIST, 'frame', 'card.html'), ...assets, ...(largest ? [largest] : [])]
}

/** The payment page's script and stylesheet, named in the manifest the build writes. */
function payFiles() {
  const manifest = JSON.parse(readFileSync(join(DIST, 'pay', 'manifest.json'), 'utf8'))
  return [join(DIST, 'pay', manifest.js), join(DIST, 'pay', manifest.css)]
}

const rows = [
  { name: 'loader', files: [join(DIST, 'tessera.js')] },
  { name: 'frame', files: frameFiles() },
  { name: 'pay', files: payFiles() },
]

let failed = false
for (const row of rows) {
  const bytes = row.files.reduce((sum, file) => sum + gzipped(file), 0)
  const budget = BUDGETS[row.name]
  const over = bytes > budget
  failed ||= over
  const detail = row.files.map((f) => `${f.slice(DIST.length + 1)} ${(gzipped(f) / KB).toFixed(2)}`).join(', ')
  console.log(`${row.name.padEnd(6)} ${(bytes / KB).toFixed(2).padStart(6)} KB min+gzip (budget ${budget / KB} KB)${over ? '  OVER BUDGET' : ''}  [${detail}]`)
}
// The same hash the vault publishes at GET /v1/tessera.js.sri for this build.
console.log(`loader integrity: sha384-${createHash('sha384').update(readFileSync(join(DIST, 'tessera.js'))).digest('base64')}`)
process.exit(failed ? 1 : 0)
