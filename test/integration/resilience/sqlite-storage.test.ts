// SQLite that cannot write: a full database (made full deterministically with SQLite's own
// `PRAGMA max_page_count`, which fails writes with the real SQLITE_FULL a full disk gives) and a
// read-only one (`PRAGMA query_only`, which fails writes with SQLITE_READONLY). Each gives one
// log line naming the code, 503 database_unavailable with Retry-After, stores nothing, makes
// /health/ready answer 503; when writing works again the vault serves and is ready again. A
// data folder that is read-only at start (a real one: file modes, the vault run as `nobody`
// when the tests run as root) stops the start with one line naming the code.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../../helpers/api.js'
import { encryptCard } from '../../helpers/cards.js'
import { tableCounts } from '../../helpers/db.js'
import { BIN, runTessera } from '../../helpers/processes.js'
import { startVaultWithProject, type TestProjectKeys, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
let keys: TestProjectKeys

beforeAll(async () => {
  ;({ vault, call, keys } = await startVaultWithProject())
})
afterAll(async () => {
  await vault.close()
})

const db = () => vault.running.vault.store.db
const tokenize = async () => call('POST', '/v1/tokens', { key: keys.test.secret_key, body: { card: await encryptCard(vault.url), customer_id: 'cust_storage' } })
const linesWith = (text: string) => vault.logs.filter((l) => l.includes(text))

describe('an SQLite database that cannot write', () => {
  it('answers 503 database_unavailable while full, logs SQLITE_FULL once, and serves again when there is room', async () => {
    expect((await tokenize()).status).toBe(201)
    const pages = Number((await sql<{ page_count: number }>`pragma page_count`.execute(db())).rows[0]?.page_count)
    await sql.raw(`pragma max_page_count = ${pages}`).execute(db())
    try {
      // Free room left inside the last pages may take a few more rows first.
      let res = await tokenize()
      for (let i = 0; i < 50 && res.status === 201; i++) res = await tokenize()
      expect(res.status).toBe(503)
      expect(res.body.error).toMatchObject({ type: 'api_error', code: 'database_unavailable' })
      expect(res.headers.get('retry-after')).toBe('2')

      // Nothing half-way: a failing request adds no row anywhere.
      const before = await tableCounts(vault)
      for (let i = 0; i < 3; i++) expect((await tokenize()).status).toBe(503)
      expect(await tableCounts(vault)).toEqual(before)

      const ready = await call('GET', '/health/ready')
      expect([ready.status, ready.body]).toEqual([503, { status: 'not_ready', checks: { database: 'unavailable', master_key: 'ok' } }])
      expect((await call('GET', '/health/live')).status).toBe(200)
      const logged = linesWith('"code":"SQLITE_FULL"').filter((l) => l.includes('database unavailable'))
      expect(logged).toHaveLength(1)
      expect(logged[0]).toContain('the disk or the database file is full')
    } finally {
      await sql.raw('pragma max_page_count = 1073741823').execute(db())
    }
    expect((await tokenize()).status).toBe(201)
    expect((await call('GET', '/health/ready')).status).toBe(200)
    expect(linesWith('database available again').some((l) => l.includes('"code":"SQLITE_FULL"'))).toBe(true)
  })

  it('answers 503 database_unavailable while read-only, logs SQLITE_READONLY once, and serves again when writable', async () => {
    await sql.raw('pragma query_only = 1').execute(db())
    try {
      for (let i = 0; i < 3; i++) {
        const res = await tokenize()
        expect([res.status, res.body.error?.code]).toEqual([503, 'database_unavailable'])
      }
      // Reads still work: a token can be fetched while writes cannot be made.
      expect((await call('GET', '/v1/customers/cust_storage/tokens', { key: keys.test.secret_key })).status).toBe(200)
      expect((await call('GET', '/health/ready')).status).toBe(503)
      expect(linesWith('"code":"SQLITE_READONLY"').filter((l) => l.includes('database unavailable'))).toHaveLength(1)
    } finally {
      await sql.raw('pragma query_only = 0').execute(db())
    }
    expect((await tokenize()).status).toBe(201)
    expect((await call('GET', '/health/ready')).status).toBe(200)
  })

  it('refuses to start on a read-only data folder with one line naming SQLITE_READONLY', async () => {
    // A real read-only folder: root ignores file modes, so the vault runs as `nobody` then.
    // Under the system temp folder, not the run folder (mkdtemp makes that 0700: `nobody` could not even reach it).
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-readonly-'))
    const created = await runTessera(['project', 'create', '--name', 'RO', '--origin', 'https://shop.example', '--json', '--data', dataDir])
    expect(created.code, created.stderr).toBe(0)
    const asRoot = process.getuid?.() === 0
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-readonly-tmp-'))
    if (asRoot) {
      spawnSync('chown', ['-R', 'nobody', dataDir, scratch])
      fs.chmodSync(path.join(dataDir, 'master.key'), 0o400)
    }
    for (const file of fs.readdirSync(dataDir)) if (file !== 'master.key') fs.chmodSync(path.join(dataDir, file), 0o444)
    fs.chmodSync(dataDir, 0o555)
    const command = [process.execPath, BIN, 'serve', '--port', '0', '--data', dataDir]
    const [bin, args] = asRoot ? ['runuser', ['-u', 'nobody', '--', 'env', `TMPDIR=${scratch}`, ...command]] : [command[0] as string, command.slice(1)]
    const result = spawnSync(bin, args, { encoding: 'utf8', timeout: 30_000, env: { ...process.env, TMPDIR: scratch } })
    fs.rmSync(dataDir, { recursive: true, force: true })
    fs.rmSync(scratch, { recursive: true, force: true })
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toMatch(/^tessera: refusing to start: the database cannot be used \(SQLITE_READONLY\w*: the database file or its folder is read-only\)$/)
  })
})
