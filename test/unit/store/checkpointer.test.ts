// WAL checkpoints on a thread (store/dialects/sqlite-checkpointer.ts): a commit that takes the
// log past SQLite's usual 1000 pages no longer copies it into the database file itself (the
// request would wait for the copy and the fsync); the thread copies it shortly after.
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { SQLITE_FILE } from '../../../backend/config.js'
import { openStore, type Store } from '../../../backend/store/database.js'
import { tempDir } from '../../helpers/vault.js'

let store: Store | undefined
afterEach(async () => {
  await store?.close()
  store = undefined
})

/** About 6 MB of rows (some 1,500 pages) in one transaction. */
async function writeMuch(s: Store): Promise<void> {
  const filler = 'x'.repeat(2000)
  await s.db.transaction().execute(async (trx) => {
    for (let i = 0; i < 3000; i++) await trx.insertInto('seen_jtis').values({ jti: `${i}-${filler}`, expires_at: '2099-01-01T00:00:00.000Z' }).execute()
  })
}

describe('WAL checkpoints', () => {
  it('are not made in the commit that grows the log, but on the thread soon after', async () => {
    const file = path.join(tempDir('tessera-checkpoint-'), SQLITE_FILE)
    store = await openStore({ sqliteFile: file })
    await store.writes.run(async (trx) => trx.insertInto('seen_jtis').values({ jti: 'first', expires_at: '2099-01-01T00:00:00.000Z' }).execute())
    await sleep(400)
    const before = fs.statSync(file).size
    await writeMuch(store)
    // The commit returned without copying the log into the database file ...
    expect(fs.statSync(file).size).toBe(before)
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(5_000_000)
    // ... which the thread then does.
    const deadline = Date.now() + 5_000
    while (fs.statSync(file).size < before + 5_000_000 && Date.now() < deadline) await sleep(50)
    expect(fs.statSync(file).size).toBeGreaterThan(before + 5_000_000)
  })

  it('leave the log whole in the database file after close', async () => {
    const file = path.join(tempDir('tessera-checkpoint-close-'), SQLITE_FILE)
    store = await openStore({ sqliteFile: file })
    await writeMuch(store)
    await store.close()
    store = undefined
    expect(fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0).toBe(0)
    expect(fs.statSync(file).size).toBeGreaterThan(5_000_000)
  })
})
