// Deletion destroys: once DELETE /v1/tokens/:token has answered, the card's ciphertext is in no
// file of the data folder within a second (secure_delete zeroes the freed cell; a coalesced
// WAL checkpoint truncates the log), while the vault keeps running and serving reads.
import BetterSqlite3 from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let keys: TestProjectKeys
const tokens: string[] = []

beforeAll(async () => {
  ;({ vault, call, keys } = await startVaultWithProject())
  for (const number of ['4242424242424242', '5555555555554444', '4000056655665556', '4111111111111111']) {
    // With an Idempotency-Key, so the stored answers are searched too.
    const res = await call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url, { number, name: 'JANE VICTIM' }) }, headers: { 'idempotency-key': `del-${number.slice(-4)}` } })
    expect(res.status).toBe(201)
    tokens.push(res.body.token)
  }
})
afterAll(() => vault.close())

function stored(token: string): { card_ciphertext: string | null; data_key_id: string | null } {
  const db = new BetterSqlite3(path.join(vault.dataDir, 'tessera.db'), { readonly: true })
  try {
    return db.prepare('select card_ciphertext, data_key_id from tokens where token = ?').get(token) as { card_ciphertext: string | null; data_key_id: string | null }
  } finally {
    db.close()
  }
}

/** Every file of the data folder (tessera.db, -wal, -shm, master.key, anything else), whole. */
function filesHolding(needles: Buffer[]): string[] {
  const found: string[] = []
  for (const name of fs.readdirSync(vault.dataDir)) {
    const file = path.join(vault.dataDir, name)
    if (!fs.statSync(file).isFile()) continue
    const bytes = fs.readFileSync(file)
    for (const needle of needles) if (bytes.includes(needle)) found.push(`${name} holds ${needle.length} bytes of it`)
  }
  return found
}

/** The stored text, its base64url body alone, and the raw sealed bytes (IV, ciphertext, tag). */
function forms(ciphertext: string): Buffer[] {
  const body = ciphertext.split('.')[1] as string
  return [Buffer.from(ciphertext), Buffer.from(body), Buffer.from(body, 'base64url')]
}

describe('deleting a token destroys its ciphertext in every file', () => {
  it('finds the ciphertext before the delete and in no file within a second after it, under reads', async () => {
    const [victim, other] = tokens as [string, string]
    const { card_ciphertext: ciphertext, data_key_id: dataKeyId } = stored(victim)
    expect(ciphertext).toMatch(/^c1\./)
    expect(dataKeyId).toMatch(/^dk_/)
    const needles = forms(ciphertext as string)
    // Checkpointed into tessera.db first, so the page that holds it is in the main file too
    // (freed space there is what secure_delete zeroes). The search is real: the bytes are there.
    const writer = new BetterSqlite3(path.join(vault.dataDir, 'tessera.db'))
    writer.pragma('wal_checkpoint(TRUNCATE)')
    writer.close()
    expect(filesHolding(needles.slice(0, 1))).toEqual(['tessera.db holds 62 bytes of it'])

    // Reads keep going while the token is deleted (the checkpoint must not break them).
    let reading = true
    const reads: number[] = []
    const reader = (async () => {
      while (reading) reads.push((await call('GET', `/v1/tokens/${other}`, { key: keys.test.secret_key })).status)
    })()
    await new Promise((r) => setTimeout(r, 100))
    const res = await call('DELETE', `/v1/tokens/${victim}`, { key: keys.test.secret_key })
    const answeredAt = Date.now()
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ object: 'token', token: victim, deleted: true })

    let left = filesHolding(needles)
    while (left.length > 0 && Date.now() - answeredAt < 1000) {
      await new Promise((r) => setTimeout(r, 25))
      left = filesHolding(needles)
    }
    const tookMs = Date.now() - answeredAt
    reading = false
    await reader
    expect(left, `ciphertext still on disk ${tookMs} ms after the answer`).toEqual([])
    expect(tookMs).toBeLessThanOrEqual(1000)
    process.stderr.write(`deleted ciphertext gone from every file ${tookMs} ms after the answer\n`)
    expect(reads.length).toBeGreaterThan(0)
    expect(reads.filter((s) => s !== 200)).toEqual([])

    // The tombstone holds no card data; the vault still serves and the other cards are intact.
    expect(stored(victim)).toEqual({ card_ciphertext: null, data_key_id: null })
    const db = new BetterSqlite3(path.join(vault.dataDir, 'tessera.db'), { readonly: true })
    const tombstone = db.prepare('select status, holder_name, fingerprint, bin, account_key, last4 from tokens where token = ?').get(victim)
    db.close()
    expect(tombstone).toEqual({ status: 'deleted', holder_name: null, fingerprint: '', bin: '', account_key: null, last4: '4242' })
    expect((await call('GET', `/v1/tokens/${victim}`, { key: keys.test.secret_key })).status).toBe(404)
    expect(stored(other).card_ciphertext).toMatch(/^c1\./)
    expect(filesHolding(forms(stored(other).card_ciphertext as string).slice(0, 1)).length).toBeGreaterThan(0)
  })

  it('keeps no ciphertext in any other table (idempotency answers, events, audit, payments)', () => {
    const db = new BetterSqlite3(path.join(vault.dataDir, 'tessera.db'), { readonly: true })
    try {
      const live = (db.prepare('select card_ciphertext from tokens where card_ciphertext is not null').all() as { card_ciphertext: string }[]).map((r) => r.card_ciphertext)
      expect(live.length).toBe(tokens.length - 1)
      const tables = (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((t) => t.name).filter((t) => t !== 'tokens')
      expect(tables).toEqual(expect.arrayContaining(['idempotency_keys', 'events', 'audit_log', 'payments']))
      for (const table of tables) {
        const text = JSON.stringify(db.prepare(`select * from "${table}"`).all())
        for (const c of live) expect(text.includes(c.split('.')[1] as string), `${table} holds a ciphertext`).toBe(false)
      }
      expect(JSON.stringify(db.prepare('select response_body from idempotency_keys').all())).toContain(tokens[1])
    } finally {
      db.close()
    }
  })
})
