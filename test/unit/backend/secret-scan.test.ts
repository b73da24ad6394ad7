import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { scanFolder, scanText } from '../../../scripts/secret-scan.js'

const kinds = (text: string) => scanText('f', text).map((f) => f.kind)

describe('secret scan', () => {
  it('finds test cards, other card-like numbers, CVC values and JWEs', () => {
    expect(kinds('{"pan":"4242424242424242"}')).toContain('test card')
    expect(kinds('number 4000 0566 5566 5556 typed')).toContain('card-like number')
    expect(kinds('{"n":"5105105105105100"}')).toEqual(['card-like number'])
    expect(kinds('{"cvc":"123"}')).toContain('cvc')
    expect(kinds('{"x":"731"}')).toEqual(['cvc'])
    expect(kinds('eyJhbGciOiJFQ0RILUVTIn0..aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbb.cccccccccccccccc')).toEqual(['jwe'])
  })

  it('leaves redactions, hex tokens, Luhn-format tokens, timestamps and detached signatures alone', () => {
    expect(kinds('{"cvc":"[redacted]","card":"[redacted]"}')).toEqual([])
    expect(kinds('{"token":"ab5105105105105100cd0123456789abcdef"}')).toEqual([])
    expect(kinds('{"token":"9000000000000008"}')).toEqual([])
    expect(kinds('{"time":"2026-11-23T21:00:00.000Z","pid":12345}')).toEqual([])
    // A jti (UUID) whose last group is all digits, then an ISO date, as they sit in a database page.
    expect(kinds('e8b097ad-300b-4649-b832-4241126321252026-11-23T21:39:15.041Z')).toEqual([])
    expect(kinds('eyJhbGciOiJFUzI1NiJ9..c2lnbmF0dXJlc2lnbmF0dXJl')).toEqual([])
  })
})

describe('scanFolder', () => {
  it("skips only vitest's own reports at the run folder's root", () => {
    const root = mkdtempSync(path.join(tmpdir(), 'tessera-scan-'))
    const card = '{"title":"approves 4242424242424242"}'
    for (const name of ['vitest-results.json', 'vitest-results-suites.json', 'vitest-results-timing.json']) writeFileSync(path.join(root, name), card)
    mkdirSync(path.join(root, 'vault'))
    writeFileSync(path.join(root, 'vault', 'vitest-results-suites.json'), card)
    writeFileSync(path.join(root, 'vault-results.json'), card)
    writeFileSync(path.join(root, 'server.log'), card)
    const scan = scanFolder(root)
    expect([...new Set(scan.findings.map((f) => f.file))].sort()).toEqual([path.join('vault', 'vitest-results-suites.json'), 'server.log', 'vault-results.json'].sort())
  })
})
