// SQLite's group commit (store/write-groups.ts): the storing work of requests that arrive
// together is one transaction, so a commit that fails fails every request of its group and
// stores nothing of any; requests arriving while a group runs go into the next.
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SQLITE_FILE } from '../../../backend/config.js'
import { openStore, type Store } from '../../../backend/store/database.js'
import { recordJti } from '../../../backend/store/replay.js'
import type { WriteGroupTimings } from '../../../backend/store/write-groups.js'
import { tempDir } from '../../helpers/vault.js'

let store: Store

beforeAll(async () => {
  store = await openStore({ sqliteFile: path.join(tempDir('tessera-group-commit-'), SQLITE_FILE) })
})
afterAll(() => store?.close())

const until = new Date(Date.now() + 3_600_000).toISOString()
const claim = (jti: string) => store.writes.run(async (trx) => recordJti(trx, jti, until))
const stored = async (prefix: string) => (await store.db.selectFrom('seen_jtis').select('jti').where('jti', 'like', `${prefix}%`).orderBy('jti').execute()).map((r) => r.jti)

describe('group commit on SQLite', () => {
  it('fails every request of a group whose commit fails, and stores none of them', async () => {
    // A foreign key checked at the commit (deferred): the group's COMMIT is refused.
    const breaksCommit = store.writes.run(async (trx) => {
      await sql`pragma defer_foreign_keys = on`.execute(trx)
      await sql`insert into data_keys (id, project_id, mode, wrapped, master_key_id, created_at) values ('dk_none', 'proj_none', 'test', 'x', 'mk', '2026-01-01')`.execute(trx)
      return 'inserted'
    })
    const settled = await Promise.allSettled([claim('commit_a'), breaksCommit, claim('commit_b')])
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected'])
    for (const s of settled) expect((s as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })
    expect(await stored('commit_')).toEqual([])
    expect(await store.db.selectFrom('data_keys').select('id').where('id', '=', 'dk_none').execute()).toEqual([])
    // The next group commits as usual.
    expect(await Promise.all([claim('commit_c'), claim('commit_d')])).toEqual(['inserted', 'inserted'])
    expect(await stored('commit_')).toEqual(['commit_c', 'commit_d'])
  })

  it('puts requests that arrive while a group runs into the next group, each answered', async () => {
    const first = Array.from({ length: 10 }, (_, i) => claim(`next_${String(i).padStart(2, '0')}`))
    // Queued from inside the first group's work: after it has been taken.
    const later = store.writes.run(async (trx) => {
      const queued = Array.from({ length: 5 }, (_, i) => claim(`next_${String(10 + i).padStart(2, '0')}`))
      await recordJti(trx, 'next_inner', until)
      return queued
    })
    expect(await Promise.all(first)).toEqual(Array(10).fill('inserted'))
    expect(await Promise.all(await later)).toEqual(Array(5).fill('inserted'))
    expect(await stored('next_')).toHaveLength(16)
  })

  it('publishes each group size and its timings while the bench diagnostics subscribe, and nothing otherwise', async () => {
    const seen: WriteGroupTimings[] = []
    const listener = (message: unknown) => seen.push(message as WriteGroupTimings)
    subscribe('tessera:write-group', listener)
    try {
      expect(await Promise.all([claim('timed_a'), claim('timed_b'), claim('timed_c')])).toEqual(['inserted', 'inserted', 'inserted'])
    } finally {
      unsubscribe('tessera:write-group', listener)
    }
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ size: 3 })
    for (const ms of [seen[0]?.lockMs, seen[0]?.workMs, seen[0]?.commitMs]) expect(ms).toBeGreaterThanOrEqual(0)
    await claim('timed_d')
    expect(seen).toHaveLength(1)
  })
})
