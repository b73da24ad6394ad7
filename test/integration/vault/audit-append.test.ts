// Appends to one chain serialize: transactions that hold their append open for a while (as a
// slow request would) still each get their own position, linked to the event committed before.
import { setTimeout as sleep } from 'node:timers/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyChains } from '../../../backend/audit/verify.js'
import { SQLITE_FILE } from '../../../backend/config.js'
import { appendAudit } from '../../../backend/store/audit.js'
import { openStore, type Store } from '../../../backend/store/database.js'
import { createTestDatabase, tempDir } from '../../helpers/vault.js'

let store: Store

beforeAll(async () => {
  const databaseUrl = process.env.TESSERA_TEST_STORE === 'postgres' ? await createTestDatabase() : undefined
  store = await openStore({ databaseUrl, sqliteFile: path.join(tempDir('tessera-audit-append-'), SQLITE_FILE) })
})
afterAll(() => store?.close())

describe('concurrent appends', () => {
  it('give 48 transactions on two chains their own positions and valid links, however they interleave', async () => {
    const append = (i: number) =>
      store.db.transaction().execute(async (trx) => {
        await sleep(i % 3)
        const row = await appendAudit(trx, { projectId: 'proj_c', mode: i % 4 === 0 ? 'live' : 'test', action: 'token.created', token: `tok_${i}`, actor: { kind: 'key', keyId: 'key_c', requestId: `req_${i}` }, at: new Date() })
        // Held open after the append: a second append to the chain must wait for this commit.
        await sleep(15)
        return row
      })
    const rows = await Promise.all(Array.from({ length: 48 }, (_, i) => append(i)))
    for (const mode of ['test', 'live'] as const) {
      const seqs = rows.filter((r) => r.mode === mode).map((r) => r.seq).sort((a, b) => a - b)
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1))
    }
    const result = await verifyChains(store.db)
    expect(result).toMatchObject({ ok: true, chains: [{ projectId: 'proj_c', mode: 'live', events: 12 }, { projectId: 'proj_c', mode: 'test', events: 36 }] })
  })
})
