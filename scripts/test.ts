// `npm test`'s test step: runs vitest (the suites, then the timing measurements alone) with every
// server's output kept under one run folder, then the secret scan over that folder, and prints
// one closing line with the counts.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { scanFolder } from './secret-scan.js'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-run-'))

/** One vitest run over some projects, with its JSON report in the run folder. */
function runVitest(name: string, projects: string[]): { ok: boolean; report: string } {
  const report = path.join(root, `vitest-results-${name}.json`)
  const args = ['node_modules/vitest/vitest.mjs', 'run', ...projects.map((p) => `--project=${p}`), '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]
  const run = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, TESSERA_TEST_ROOT: root } })
  return { ok: run.status === 0, report }
}

// The suites first, two files at a time; then the timing measurements alone, so the figures they
// report are not those of a machine busy with two hundred other files (vitest.config.ts).
const runs = [runVitest('suites', ['sqlite', 'postgres']), runVitest('timing', ['timing'])]

const scan = scanFolder(root)
for (const f of scan.findings.slice(0, 50)) process.stderr.write(`secret scan: ${f.kind} in ${f.file}: …${f.excerpt}…\n`)
process.stdout.write(`\nsecret scan: ${scan.files} files (${(scan.bytes / 1e6).toFixed(1)} MB of logs, databases and dumps), ${scan.findings.length} findings\n`)

let passed = 0
let failed = 0
let skipped = 0
for (const run of runs) {
  if (!fs.existsSync(run.report)) continue
  const report = JSON.parse(fs.readFileSync(run.report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }
  passed += report.numPassedTests
  failed += report.numFailedTests
  skipped += report.numPendingTests + report.numTodoTests
}
if (scan.findings.length > 0) failed++
else passed++
process.stdout.write(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`)

const ok = runs.every((run) => run.ok) && scan.findings.length === 0
if (ok) fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 })
else process.stdout.write(`run folder kept for inspection: ${root}\n`)
process.exit(ok ? 0 : 1)
