// Concurrent first requests with one key share one key lookup (the auth cache's single flight),
// through the real app on SQLite and PostgreSQL: the statements reading api_keys are counted
// where the drivers run them (better-sqlite3's statements, pg's client). The bursts go in
// through app.request, all started in one tick: over a socket, SQLite (synchronous) would
// finish each lookup before the next request is even read, and the test could not fail.
import crypto from 'node:crypto'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type Api } from '../../helpers/api.js'
import { startVault, type TestVault } from '../../helpers/vault.js'

let vault: TestVault
let call: Api
const seen: string[] = []
const restore: (() => void)[] = []

/** Wraps `proto[method]` to note the SQL text of each statement it runs. */
function spy(proto: Record<string, unknown>, method: string, sqlOf: (self: unknown, args: unknown[]) => unknown) {
  const original = proto[method] as (...args: unknown[]) => unknown
  proto[method] = function (this: unknown, ...args: unknown[]) {
    const sql = sqlOf(this, args)
    if (typeof sql === 'string') seen.push(sql)
    return original.apply(this, args)
  }
  restore.push(() => void (proto[method] = original))
}

beforeAll(async () => {
  const statement = Object.getPrototypeOf(new BetterSqlite3(':memory:').prepare('select 1')) as Record<string, unknown>
  for (const method of ['get', 'all', 'run', 'iterate']) spy(statement, method, (self) => (self as { source: string }).source)
  spy(pg.Client.prototype as unknown as Record<string, unknown>, 'query', (_self, [query]) => (typeof query === 'string' ? query : (query as { text?: string } | undefined)?.text))
  vault = await startVault({ background: false })
  call = api(vault.url)
})
afterAll(async () => {
  for (const undo of restore) undo()
  await vault.close()
})

const read = (key: string) => vault.running.vault.app.request('/v1/tokens/tok_missing', { headers: { authorization: `Bearer ${key}` } })
const keyLookups = () => seen.filter((sql) => /from "api_keys"/.test(sql) && /"key_hash"/.test(sql)).length

describe('the auth cache', () => {
  it('answers 32 concurrent first requests with one key from one lookup, a known key and an unknown one alike', async () => {
    const { test } = await vault.createProject()
    const unknown = 'sk_test_' + crypto.randomBytes(16).toString('hex')
    for (const [key, status] of [[test.secret_key, 404], [unknown, 401]] as const) {
      const before = keyLookups()
      const answers = await Promise.all(Array.from({ length: 32 }, () => read(key)))
      expect(answers.map((a) => a.status)).toEqual(Array(32).fill(status))
      expect(keyLookups() - before).toBe(1)
      // Then from the cache: no lookup at all.
      await Promise.all(Array.from({ length: 8 }, () => read(key)))
      // Over a socket too.
      expect((await call('GET', '/v1/tokens/tok_missing', { key })).status).toBe(status)
      expect(keyLookups() - before).toBe(1)
    }
  })

  it('reads the key anew after its project changed (a later request does not join a lookup begun before)', async () => {
    const p = await vault.createProject()
    const before = keyLookups()
    expect((await call('GET', '/v1/tokens/tok_missing', { key: p.test.secret_key })).status).toBe(404)
    vault.running.vault.projects.forgetProject(p.projectId)
    expect((await call('GET', '/v1/tokens/tok_missing', { key: p.test.secret_key })).status).toBe(404)
    expect(keyLookups() - before).toBe(2)
  })
})
