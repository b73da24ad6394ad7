// The secret scan: reads every file a test run left (server logs, SQLite files, PostgreSQL
// dumps, event payloads inside them) and looks for card numbers, test CVCs and JWEs.
// Usage: tsx scripts/secret-scan.ts <folder>; exits 1 on any finding.
import fs from 'node:fs'
import path from 'node:path'
import creditCardType from 'credit-card-type'
import { SANDBOX_TEST_CARDS } from '../demo/acquirer/test-cards.js'
import { DOCUMENTED_TEST_CARDS } from '../common/test-cards.js'
import { luhnValid } from '../common/card-rules.js'

export interface Finding {
  file: string
  kind: 'test card' | 'card-like number' | 'cvc' | 'jwe'
  excerpt: string
}

const KNOWN_CARDS = [...DOCUMENTED_TEST_CARDS, ...SANDBOX_TEST_CARDS.map((c) => c.number)]
/** The CVCs the tests send, as JSON values (bare digits occur everywhere else). */
const TEST_CVCS = ['123', '1234', '321', '731', '999', '9999', '737', '7373']
const CVC_VALUE = new RegExp(`"cvc"\\s*:\\s*"(?!\\[redacted\\])|"(${TEST_CVCS.join('|')})"`, 'g')
const JWE = /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g
// 13-19 digits in a row, or grouped as cards are written (4-4-4-4..., 4-6-5), not touching other
// hex digits or dashes (UUIDs and ISO dates sit side by side in database pages).
const DIGITS = /(?<![0-9A-Fa-f-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}|\d{4}([ -])\d{6}\2\d{5})(?![0-9A-Fa-f])/g

function cardLike(run: string): boolean {
  const digits = run.replace(/[ -]/g, '')
  if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) return false
  return creditCardType(digits).some((t) => t.lengths.includes(digits.length))
}

const excerptOf = (text: string, at: number) => text.slice(Math.max(0, at - 40), at + 60).replace(/[^\x20-\x7e]/g, '.')

export function scanText(file: string, text: string): Finding[] {
  const findings: Finding[] = []
  for (const card of KNOWN_CARDS) {
    const at = text.indexOf(card)
    if (at >= 0) findings.push({ file, kind: 'test card', excerpt: excerptOf(text, at) })
  }
  for (const m of text.matchAll(DIGITS)) if (cardLike(m[0])) findings.push({ file, kind: 'card-like number', excerpt: excerptOf(text, m.index) })
  for (const m of text.matchAll(CVC_VALUE)) findings.push({ file, kind: 'cvc', excerpt: excerptOf(text, m.index) })
  for (const m of text.matchAll(JWE)) findings.push({ file, kind: 'jwe', excerpt: excerptOf(text, m.index) })
  return findings
}

const SCANNED = /\.(log|db|db-wal|db-shm|sql|json|ndjson)$/
/** vitest's own reports in the run folder (scripts/test.ts): test names hold the documented test cards. */
const VITEST_REPORT = /^vitest-results(-[a-z]+)?\.json$/

export function scanFolder(root: string): { files: number; bytes: number; findings: Finding[] } {
  let files = 0
  let bytes = 0
  const findings: Finding[] = []
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (SCANNED.test(entry.name) && !(dir === root && VITEST_REPORT.test(entry.name))) {
        const content = fs.readFileSync(full)
        files++
        bytes += content.length
        findings.push(...scanText(path.relative(root, full), content.toString('latin1')))
      }
    }
  }
  walk(root)
  return { files, bytes, findings }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2]
  if (!root) throw new Error('usage: secret-scan <folder>')
  const { files, bytes, findings } = scanFolder(root)
  for (const f of findings.slice(0, 50)) process.stderr.write(`secret scan: ${f.kind} in ${f.file}: …${f.excerpt}…\n`)
  process.stdout.write(`secret scan: ${files} files, ${(bytes / 1e6).toFixed(1)} MB, ${findings.length} findings\n`)
  process.exitCode = findings.length ? 1 : 0
}
