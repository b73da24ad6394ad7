// `tessera keys rotate-data` as a CLI process while two vault processes serve tokenize and read
// load (SQLite file, or PostgreSQL with the postgres project): no request fails, new cards go
// under the new data key in both processes, every stored card still opens to its own number,
// the old data keys' rows are destroyed, and a copy of the database from before the rotation
// (with the same master key) opens no card stored after it.
import BetterSqlite3 from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemClock } from '../../../backend/clock.js'
import { loadConfig } from '../../../backend/config.js'
import { CardCipher } from '../../../backend/crypto/card-cipher.js'
import { localKeySource } from '../../../backend/crypto/master-key.js'
import { openStore } from '../../../backend/store/database.js'
import { dataKeyStore } from '../../../backend/store/key-tables.js'
import { api, type Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { runTessera, startTessera, stop } from '../../helpers/processes.js'
import { createTestDatabase, TEST_RATE_LIMITS, tempDir } from '../../helpers/vault.js'

const dataDir = tempDir('tessera-dkrot-')
let env: NodeJS.ProcessEnv = { TESSERA_RATE_LIMITS: TEST_RATE_LIMITS, TESSERA_LOG_LEVEL: 'warn' }
const children: ChildProcess[] = []
const NUMBERS = ['4242424242424242', '4111111111111111', '5555555555554444', '5200828282828210', '4000056655665556']
type Keys = { project_id: string; test: { secret_key: string; publishable_key: string } }
let projects: Keys[]
let vaults: Api[]
let urls: string[]
/** Every token made, with the number behind it and the project it belongs to. */
const cards = new Map<string, { number: string; project: Keys }>()

async function serve(): Promise<string> {
  const started = await startTessera(['serve', '--port', '0', '--data', dataDir], /"url":"(http:\/\/127\.0\.0\.1:\d+)"/, { ...env, TESSERA_LOG_LEVEL: 'info' })
  children.push(started.child)
  return started.match[1] as string
}

async function tokenize(i: number): Promise<number> {
  const project = projects[i % projects.length] as Keys
  const number = NUMBERS[i % NUMBERS.length] as string
  const url = urls[i % urls.length] as string
  const res = await (vaults[i % vaults.length] as Api)('POST', '/v1/tokens', { key: project.test.secret_key, body: { card: await encryptCard(url, { number }) } })
  if (res.status === 201) cards.set(res.body.token, { number, project })
  else process.stderr.write(`tokenize failed: ${res.status} ${JSON.stringify(res.body)}\n`)
  return res.status
}

function storedTokens(db: BetterSqlite3.Database | undefined) {
  return db?.prepare('select project_id, mode, token, data_key_id, card_ciphertext from tokens').all() as { project_id: string; mode: string; token: string; data_key_id: string; card_ciphertext: string }[]
}

beforeAll(async () => {
  if (process.env.TESSERA_TEST_STORE === 'postgres') env = { ...env, DATABASE_URL: await createTestDatabase() }
  projects = []
  for (const name of ['A', 'B']) {
    const out = await runTessera(['project', 'create', '--name', name, '--origin', 'https://shop.example', '--json', '--data', dataDir], env)
    expect(out.code, out.stderr).toBe(0)
    projects.push(JSON.parse(out.stdout))
  }
  urls = await Promise.all([serve(), serve()])
  vaults = urls.map((u) => api(u))
  for (let i = 0; i < 30; i++) expect(await tokenize(i)).toBe(201)
}, 90_000)

afterAll(async () => {
  await Promise.all(children.map((c) => stop(c)))
})

describe('tessera keys rotate-data', () => {
  it('rotates every project under tokenize and read load with zero failed requests, and destroys the old keys', async () => {
    const sqliteFile = path.join(dataDir, 'tessera.db')
    const copyFile = path.join(tempDir('tessera-dkrot-copy-'), 'tessera.db')
    if (!env.DATABASE_URL) {
      // A consistent copy of the database as it was before the rotation (a backup).
      const live = new BetterSqlite3(sqliteFile)
      live.exec(`vacuum into '${copyFile}'`)
      live.close()
    }
    const store = await openStore({ databaseUrl: env.DATABASE_URL, sqliteFile })
    try {
      const oldKeys = await store.db.selectFrom('data_keys').select(['id', 'project_id', 'wrapped']).execute()
      expect(new Set(oldKeys.map((k) => k.project_id)).size).toBe(2)
      const oldSealed = await store.db.selectFrom('tokens').select(['token', 'card_ciphertext']).execute()

      // Load: tokenize and read against both processes until the rotation is over (bounded).
      const outcomes: number[] = []
      let loading = true
      let n = 100
      const client = async (c: number) => {
        while (loading && outcomes.length < 2000) {
          await new Promise((r) => setTimeout(r, 15))
          if (c % 2 === 0) outcomes.push(await tokenize(n++))
          else {
            const known = [...cards.keys()]
            const token = known[Math.floor(Math.random() * known.length)] as string
            const res = await (vaults[c % 2] as Api)('GET', `/v1/tokens/${token}`, { key: (cards.get(token) as { project: Keys }).project.test.secret_key })
            if (res.status !== 200) process.stderr.write(`read failed: ${res.status} ${JSON.stringify(res.body)}\n`)
            outcomes.push(res.status === 200 ? 201 : res.status)
          }
        }
      }
      const load = Promise.all([0, 1, 2, 3].map(client))
      await new Promise((r) => setTimeout(r, 300))
      const rotation = await runTessera(['keys', 'rotate-data', '--data', dataDir, '--wait-ms', '2500', '--batch-size', '7'], env, 60_000)
      await new Promise((r) => setTimeout(r, 300))
      loading = false
      await load

      expect(rotation.code, rotation.stdout + rotation.stderr).toBe(0)
      expect(rotation.stdout).toMatch(/Re-encrypted \d+ cards of proj_\S+ \(test\) under dk_/)
      expect(rotation.stdout.match(/Data key dk_\w+ destroyed\./g)).toHaveLength(2)
      expect(rotation.stdout).not.toMatch(/ERROR|still in use/)
      expect(outcomes.length).toBeGreaterThan(100)
      expect(outcomes.filter((s) => s !== 201)).toEqual([])
      process.stderr.write(`data-key rotation under load: ${outcomes.length} requests, ${outcomes.filter((s) => s !== 201).length} failed, ${cards.size} cards\n${rotation.stdout}`)

      // One data key per project now, none of the old ones, and every card sealed under it.
      const newKeys = await store.db.selectFrom('data_keys').select(['id', 'project_id', 'mode']).execute()
      expect(newKeys).toHaveLength(2)
      for (const k of newKeys) expect(oldKeys.map((o) => o.id)).not.toContain(k.id)
      const rows = await store.db.selectFrom('tokens').selectAll().execute()
      expect(rows.length).toBe(cards.size)
      expect(rows.length).toBeGreaterThan(30)
      const cipher = new CardCipher(localKeySource({ dataDir }, { create: false }), dataKeyStore(store.db, systemClock))
      for (const row of rows) {
        expect(row.data_key_id).toBe(newKeys.find((k) => k.project_id === row.project_id)?.id)
        const number = await cipher.open({ dataKeyId: row.data_key_id as string, ciphertext: row.card_ciphertext as string }, { projectId: row.project_id, mode: row.mode, token: row.token })
        expect(number.reveal(), row.token).toBe(cards.get(row.token)?.number)
      }
      for (const { token, card_ciphertext } of oldSealed) expect(rows.find((r) => r.token === token)?.card_ciphertext).not.toBe(card_ciphertext)

      // A card stored after the rotation, through either process: under the new key.
      for (let i = 0; i < 4; i++) expect(await tokenize(1000 + i)).toBe(201)
      const after = await store.db.selectFrom('tokens').select(['token', 'project_id', 'mode', 'data_key_id', 'card_ciphertext']).execute()
      const fresh = after.filter((r) => !rows.some((o) => o.token === r.token))
      expect(fresh).toHaveLength(4)
      for (const r of fresh) expect(r.data_key_id).toBe(newKeys.find((k) => k.project_id === r.project_id)?.id)

      if (!env.DATABASE_URL) {
        // The old copy with the (unchanged) master key: its data keys open none of those cards.
        const old = await openStore({ sqliteFile: copyFile })
        try {
          const oldCipher = new CardCipher(localKeySource({ dataDir }, { create: false }), dataKeyStore(old.db, systemClock))
          for (const r of fresh) {
            const binding = { projectId: r.project_id, mode: r.mode, token: r.token }
            await expect(oldCipher.open({ dataKeyId: r.data_key_id as string, ciphertext: r.card_ciphertext as string }, binding)).rejects.toThrow(/not found/)
            const oldId = oldKeys.find((k) => k.project_id === r.project_id)?.id as string
            await expect(oldCipher.open({ dataKeyId: oldId, ciphertext: r.card_ciphertext as string }, binding)).rejects.toThrow()
          }
        } finally {
          await old.close()
        }
        // No file of the data folder holds an old key's wrapped bytes or a replaced ciphertext.
        expect(storedTokens(new BetterSqlite3(copyFile, { readonly: true }))?.length).toBe(30)
        for (const name of fs.readdirSync(dataDir)) {
          const bytes = fs.readFileSync(path.join(dataDir, name))
          for (const k of oldKeys) expect(bytes.includes(Buffer.from(k.wrapped)), `${name} holds old data key ${k.id}`).toBe(false)
          for (const s of oldSealed) expect(bytes.includes(Buffer.from(s.card_ciphertext as string)), `${name} holds a replaced ciphertext`).toBe(false)
        }
      }
    } finally {
      await store.close()
    }
  }, 120_000)
})
