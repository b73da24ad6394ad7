// `npm test`'s test step: runs vitest with every server's output kept under one run folder,
// then the secret scan over that folder, and prints one closing line with the counts.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { scanFolder } from './secret-scan.js'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-run-'))
const results = path.join(root, 'vitest-results.json')
const vitest = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, TESSERA_TEST_ROOT: root },
})

const scan = scanFolder(root)
for (const f of scan.findings.slice(0, 50)) process.stderr.write(`secret scan: ${f.kind} in ${f.file}: …${f.excerpt}…\n`)
process.stdout.write(`\nsecret scan: ${scan.files} files (${(scan.bytes / 1e6).toFixed(1)} MB of logs, databases and dumps), ${scan.findings.length} findings\n`)

let passed = 0
let failed = 0
let skipped = 0
if (fs.existsSync(results)) {
  const report = JSON.parse(fs.readFileSync(results, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }
  passed = report.numPassedTests
  failed = report.numFailedTests
  skipped = report.numPendingTests + report.numTodoTests
}
if (scan.findings.length > 0) failed++
else passed++
process.stdout.write(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`)

const ok = vitest.status === 0 && scan.findings.length === 0
if (ok) fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 })
else process.stdout.write(`run folder kept for inspection: ${root}\n`)
process.exit(ok ? 0 : 1)
