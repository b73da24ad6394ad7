// Logs of a real `tessera serve` process: card numbers a client puts into JWE header values
// (kid, alg, enc), into a path or into a query string never appear in them, in any spelling.
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { runTessera, startTessera, stop } from '../../helpers/processes.js'
import { TEST_RATE_LIMITS, tempDir } from '../../helpers/vault.js'

const dataDir = tempDir('tessera-logs-')
const env = { TESSERA_LOG_LEVEL: 'info', TESSERA_RATE_LIMITS: TEST_RATE_LIMITS }
let child: ChildProcess
let output: () => string
let url: string
let call: Api
let keys: { test: { publishable_key: string; secret_key: string } }

/** Card numbers the requests carry, one per place. */
const NUMBERS = {
  kid: '4111111111111111',
  alg: '5555555555554444',
  enc: '378282246310005',
  path: '6011111111111117',
  encodedPath: '3566002020360505',
  query: '4242424242424242',
  spacedKid: '2223003122003222',
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
/** A compact JWE whose protected header the client wrote (the rest is junk the vault never reaches). */
const handMadeJwe = (header: Record<string, unknown>) => `${b64(header)}.${'A'.repeat(40)}.${'B'.repeat(16)}.${'C'.repeat(40)}.${'D'.repeat(22)}`

beforeAll(async () => {
  const out = await runTessera(['project', 'create', '--name', 'Logs', '--origin', 'https://shop.example', '--json', '--data', dataDir], env)
  expect(out.code).toBe(0)
  keys = JSON.parse(out.stdout)
  const started = await startTessera(['serve', '--port', '0', '--data', dataDir], /"url":"(http:\/\/127\.0\.0\.1:\d+)"/, env)
  child = started.child
  output = started.output
  url = started.match[1] as string
  call = api(url)
}, 60_000)
afterAll(() => stop(child))

async function waitForLines(count: number, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const text = output()
    if ((text.match(new RegExp(pattern, "g")) ?? []).length >= count) return text
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`fewer than ${count} log lines match ${pattern}:\n${output()}`)
}

describe('the vault log', () => {
  it('never holds card numbers sent in JWE headers, paths or query strings', async () => {
    const pk = keys.test.publishable_key
    const sk = keys.test.secret_key
    const tokenize = (card: string) => call('POST', '/v1/tokens', { key: pk, body: { card } })
    const refused = [
      // A real JWE for the vault's key, under a kid the client made up.
      await tokenize(await encryptCard(url, {}, { kid: NUMBERS.kid })),
      await tokenize(await encryptCard(url, {}, { kid: `4 ${NUMBERS.spacedKid.replace(/(\d{4})/g, '$1 ')}` })),
      await tokenize(handMadeJwe({ alg: NUMBERS.alg, enc: 'A256GCM', kid: 'k' })),
      await tokenize(handMadeJwe({ alg: 'ECDH-ES', enc: NUMBERS.enc, kid: 'k' })),
      await tokenize(handMadeJwe({ alg: 'ECDH-ES', enc: 'A256GCM', kid: { n: NUMBERS.kid } })),
    ]
    for (const res of refused) expect([res.status, res.body.error.code]).toEqual([400, 'invalid_card_encryption'])
    expect((await call('GET', `/v1/tokens/${NUMBERS.path}`, { key: sk })).status).toBe(404)
    const encoded = [...NUMBERS.encodedPath].map((d) => '%3' + d).join('')
    expect((await call('GET', `/v1/tokens/${encoded}`, { key: sk })).status).toBe(404)
    expect((await call('GET', `/v1/events?cursor=${NUMBERS.query}&note=${NUMBERS.query}`, { key: sk })).status).toBe(400)
    expect((await call('GET', `/nowhere/${NUMBERS.path}?q=${NUMBERS.query}`)).status).toBe(404)

    // Nine requests above and two JWKS reads.
    const text = await waitForLines(11, /"msg":"request"/)
    // The requests and the refusals were logged (so the search below looks at real lines) ...
    expect((text.match(/card decryption refused/g) ?? []).length).toBe(5)
    expect(text).toMatch(/"path":"\/v1\/tokens\/\[digits\]"/)
    // ... and no card number is in them, in any spelling.
    // (Request ids are the vault's own hex and may hold a digit run: they are left out of the search.)
    const searched = text.replace(/"request_id":"req_[0-9a-f]+"/g, '')
    const digitsOnly = searched.replace(/[\s-]/g, '')
    for (const [where, number] of Object.entries(NUMBERS)) expect(digitsOnly, where).not.toContain(number)
    expect(searched).not.toMatch(/\d[\d -]{10,}\d/)
  })
})
