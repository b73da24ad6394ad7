// The storing transaction (store/write-groups.ts) of many requests at once: on SQLite their
// writes share one transaction, each in its own savepoint; on PostgreSQL each has its own. Either
// way a request that fails leaves none of its rows and takes no other request's with it, and the
// audit chain stays linked.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyChains } from '../../../backend/audit/verify.js'
import { SQLITE_FILE } from '../../../backend/config.js'
import { appendAudit } from '../../../backend/store/audit.js'
import { openStore, type Store } from '../../../backend/store/database.js'
import { recordJti } from '../../../backend/store/replay.js'
import { createTestDatabase, tempDir } from '../../helpers/vault.js'

let store: Store
/** A second store on the same database: another process's view. */
let other: Store

beforeAll(async () => {
  const databaseUrl = process.env.TESSERA_TEST_STORE === 'postgres' ? await createTestDatabase() : undefined
  const sqliteFile = path.join(tempDir('tessera-write-groups-'), SQLITE_FILE)
  store = await openStore({ databaseUrl, sqliteFile })
  other = await openStore({ databaseUrl, sqliteFile })
})
afterAll(async () => {
  await other?.close()
  await store?.close()
})

const until = new Date(Date.now() + 3_600_000).toISOString()

/** One request's storing work: claim a jti, append to the chain; `fail` throws after both. */
const request = (i: number, jti: string, fail = false) =>
  store.writes.run(async (trx) => {
    if ((await recordJti(trx, jti, until)) === 'conflict') throw new Error(`replay ${i}`)
    const row = await appendAudit(trx, { projectId: 'proj_g', mode: 'test', action: 'token.created', token: `tok_${i}`, actor: { kind: 'key', keyId: 'key_g', requestId: `req_${i}` }, at: new Date() })
    if (fail) throw new Error(`failed ${i}`)
    return row.seq
  })

describe('requests storing at the same moment', () => {
  it('each keep or lose only their own rows: a replay and a failure among 24 leave 22 stored, linked in one chain', async () => {
    const settled = await Promise.allSettled(Array.from({ length: 24 }, (_, i) => request(i, i === 12 ? 'jti_g_3' : `jti_g_${i}`, i === 7)))
    const failed = settled.flatMap((s, i) => (s.status === 'rejected' ? [[i, (s.reason as Error).message]] : []))
    // Requests 3 and 12 claim the same jti: one of them (on PostgreSQL, whichever inserts first) is the replay.
    const replayed = failed.find(([i]) => i !== 7)?.[0] as number
    expect([3, 12]).toContain(replayed)
    expect(failed).toEqual([
      [7, 'failed 7'],
      [replayed, `replay ${replayed}`],
    ].sort((a, b) => (a[0] as number) - (b[0] as number)))
    const seqs = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])).sort((a, b) => a - b)
    expect(seqs).toEqual(Array.from({ length: 22 }, (_, i) => i + 1))
    const jtis = await store.db.selectFrom('seen_jtis').select('jti').where('jti', 'like', 'jti_g_%').execute()
    expect(jtis.map((r) => r.jti).sort()).toEqual(Array.from({ length: 24 }, (_, i) => `jti_g_${i}`).filter((j) => j !== 'jti_g_7' && j !== 'jti_g_12').sort())
    const audit = (await store.db.selectFrom('audit_log').select('token').where('project_id', '=', 'proj_g').execute()).map((r) => r.token)
    expect(audit).toHaveLength(22)
    expect(audit).not.toContain('tok_7')
    expect(audit).not.toContain(`tok_${replayed}`)
    expect(await verifyChains(store.db)).toMatchObject({ ok: true, chains: [{ projectId: 'proj_g', mode: 'test', events: 22 }] })
  })

  it('answers each request once its rows are committed: another connection sees them at once', async () => {
    const seqs = await Promise.all([request(100, 'jti_g_seen'), request(101, 'jti_g_seen_too')])
    expect(seqs.sort((a, b) => a - b)).toEqual([23, 24])
    const rows = await other.db.selectFrom('seen_jtis').select('jti').where('jti', 'in', ['jti_g_seen', 'jti_g_seen_too']).orderBy('jti').execute()
    expect(rows).toEqual([{ jti: 'jti_g_seen' }, { jti: 'jti_g_seen_too' }])
  })
})
