// A new data folder is its owner's only: the folder 0700, the SQLite database (and the WAL and
// shared-memory files SQLite makes beside it) and the master key 0600. The database holds
// holder names, wrapped keys and sealed cards; nobody else on the machine should read them.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { encryptCard } from '../../helpers/cards.js'
import { startVault, tempDir, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
const dataDir = path.join(tempDir(), 'fresh', 'data')

beforeAll(async () => {
  vault = await startVault({ dataDir })
  const { test } = await vault.createProject()
  const res = await fetch(`${vault.url}/v1/tokens`, { method: 'POST', headers: { authorization: `Bearer ${test.secret_key}`, 'content-type': 'application/json' }, body: JSON.stringify({ card: await encryptCard(vault.url) }) })
  expect(res.status).toBe(201)
})
afterAll(() => vault.close())

const modeOf = (file: string) => (fs.statSync(path.join(dataDir, file)).mode & 0o777).toString(8)

it('creates the data folder 0700 and every file in it 0600', () => {
  expect(modeOf('.')).toBe('700')
  const files = fs.readdirSync(dataDir)
  expect(files).toEqual(expect.arrayContaining(['tessera.db', 'tessera.db-wal', 'tessera.db-shm', 'master.key']))
  for (const file of files) expect([file, modeOf(file)]).toEqual([file, '600'])
})
