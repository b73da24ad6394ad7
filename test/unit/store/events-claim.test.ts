// The dispatcher's poll reads back what it claimed by lease owner: through the partial index
// events_lease (migration 0016), not a scan of the whole outbox, which keeps every event for its
// retention period and is read by every process at every poll.
import path from 'node:path'
import { CompiledQuery, Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SQLITE_FILE } from '../../../backend/config.js'
import { openStore, type Store } from '../../../backend/store/database.js'
import { claimDueEvents } from '../../../backend/store/events.js'
import type { Database } from '../../../backend/store/schema.js'
import { tempDir } from '../../helpers/vault.js'

let store: Store
beforeAll(async () => {
  store = await openStore({ sqliteFile: path.join(tempDir('tessera-events-claim-'), SQLITE_FILE) })
})
afterAll(() => store?.close())

describe('claiming due events', () => {
  it('reads the claimed rows back through the lease index, not by scanning the outbox', async () => {
    const statements: { sql: string; parameters: readonly unknown[] }[] = []
    const logged = new Kysely<Database>({ dialect: store.dialect.createKyselyDialect(), log: (event) => void statements.push(event.query) })
    const now = new Date().toISOString()
    await claimDueEvents(logged, { owner: 'dsp_test', now, leaseUntil: now, limit: 20 })
    await logged.destroy()
    const readBack = statements.find((s) => s.sql.startsWith('select') && s.sql.includes('"lease_owner" = ?'))
    expect(readBack).toBeDefined()
    const plan = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${readBack?.sql}`, [...(readBack?.parameters ?? [])]))
    const details = plan.rows.map((r) => r.detail).join('\n')
    expect(details).toMatch(/SEARCH events USING INDEX events_lease/)
  })
})
