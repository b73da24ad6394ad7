// Writes tokens for the test cards, then reads the raw bytes of the SQLite files and the
// captured logs: no card number, no CVC and no JWE may be found in any of them.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DOCUMENTED_TEST_CARDS } from '../../../common/test-cards.js'
import type { Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let keys: TestProjectKeys
const sentJwes: string[] = []
// Distinctive CVCs, each used once, so a find cannot be a coincidence of other data.
const cvcFor = (number: string, i: number) => (number.startsWith('3') && number.length === 15 ? String(7100 + i) : String(810 + i))

const JWE_SHAPE = /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/

async function send(path: string, body: Record<string, unknown>, key = keys.test.secret_key, method = 'POST', headers: Record<string, string> = {}) {
  if (typeof body.card === 'string') sentJwes.push(body.card)
  return call(method, path, { key, body, headers })
}

beforeAll(async () => {
  ;({ vault, call, keys } = await startVaultWithProject({}, { tokenFormat: 'preserve-6.4' }))
  for (const [i, number] of DOCUMENTED_TEST_CARDS.entries()) {
    // As the card field does: the customer comes from a session the server made.
    const session = (await call('POST', '/v1/customer-sessions', { key: keys.test.secret_key, body: { customer_id: `c_${i}` } })).body.client_secret
    const res = await send('/v1/tokens', { card: await encryptCard(vault.url, { number, cvc: cvcFor(number, i), name: `HOLDER ${i}` }) }, keys.test.publishable_key, 'POST', { 'tessera-customer-session': session })
    expect(res.status).toBe(201)
    if (i === 0) {
      // The other paths a card travels: update by JWE, search by JWE, a replay, a refusal.
      const card = await encryptCard(vault.url, { number, cvc: cvcFor(number, i), exp_month: 6 })
      expect((await send(`/v1/tokens/${res.body.token}`, { card }, keys.test.secret_key, 'PATCH')).status).toBe(200)
      expect((await send(`/v1/tokens/${res.body.token}`, { card }, keys.test.secret_key, 'PATCH')).status).toBe(400)
      expect((await send('/v1/tokens/search', { card: await encryptCard(vault.url, { number }) })).status).toBe(200)
      expect((await send('/v1/tokens', { card: await encryptCard(vault.url, { number, iat: 5 }) })).status).toBe(400)
      expect((await send('/v1/tokens', { card: await encryptCard(vault.url, { number }) }, keys.live.secret_key)).status).toBe(422)
    }
  }
})
afterAll(() => vault.close())

function databaseFiles(): string[] {
  return fs.readdirSync(vault.dataDir).filter((f) => f.startsWith('tessera.db')).map((f) => path.join(vault.dataDir, f))
}

function assertClean(label: string, text: string) {
  for (const number of DOCUMENTED_TEST_CARDS) {
    expect(text.includes(number), `${label} holds the number ${number.slice(0, 6)}…`).toBe(false)
    expect(text.includes(number.replace(/(\d{4})(?=\d)/g, '$1 ')), `${label} holds a spaced number`).toBe(false)
  }
  for (const jwe of sentJwes) expect(text.includes(jwe), `${label} holds a JWE`).toBe(false)
  expect(JWE_SHAPE.test(text), `${label} holds something shaped like a JWE`).toBe(false)
}

describe('data at rest', () => {
  it('finds no card number, CVC or JWE in the SQLite files (main and WAL)', async () => {
    const files = databaseFiles()
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true)
    for (const file of files) {
      const text = fs.readFileSync(file).toString('latin1')
      assertClean(path.basename(file), text)
      // A WAL checkpoint may have moved pages between the files: each is scanned whole.
      // As a JSON field: the three letters alone turn up in base64 ciphertext by chance.
      expect(/"cvc"/i.test(text), `${path.basename(file)} mentions a CVC`).toBe(false)
    }
    // The tokens are real: the masked data is there, so the scan looked at the right bytes.
    const all = files.map((f) => fs.readFileSync(f).toString('latin1')).join('')
    expect(all.includes('HOLDER 3')).toBe(true)
  })

  it('finds no card number, CVC or JWE in the logs', () => {
    expect(vault.logs.length).toBeGreaterThan(DOCUMENTED_TEST_CARDS.length)
    const text = vault.logs.join('\n')
    assertClean('logs', text)
    for (const [i, number] of DOCUMENTED_TEST_CARDS.entries()) expect(text.includes(`"${cvcFor(number, i)}"`)).toBe(false)
    expect(text).not.toMatch(/sk_(test|live)_[A-Za-z0-9]{32}/)
  })

  it('keeps the generated master key in a file only its owner can read', () => {
    expect(fs.statSync(path.join(vault.dataDir, 'master.key')).mode & 0o777).toBe(0o600)
  })
})
