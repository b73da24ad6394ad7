// The scrub scheduled after deletions, on a real SQLite store: one checkpoint for a burst of
// deletions, retried while it cannot finish, run at close when still pending, and leaving the
// WAL empty.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../backend/logger.js'
import { openStore, type Store } from '../../../backend/store/database.js'
import { Erasure } from '../../../backend/store/erasure.js'
import { tempDir } from '../../helpers/vault.js'

let store: Store
const opened: Store[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()))
})

/** The real SQLite dialect, its scrub counted; the first `busy` calls answer "not finished". */
async function countingStore(busy = 0) {
  const dir = tempDir('tessera-erasure-')
  store = await openStore({ sqliteFile: path.join(dir, 'tessera.db') })
  opened.push(store)
  const calls: boolean[] = []
  const real = store.dialect.scrub?.bind(store.dialect)
  const dialect = {
    ...store.dialect,
    async scrub(db: never) {
      const done = calls.length < busy ? false : await (real as NonNullable<typeof real>)(db)
      calls.push(done)
      return done
    },
  }
  return { dir, calls, erasure: (delayMs = 20) => new Erasure(store.db, dialect, createLogger({ level: 'silent' }), { delayMs, retryMs: 10, maxAttempts: 5 }) }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('Erasure', () => {
  it('coalesces a burst of deletions into one checkpoint that empties the WAL', async () => {
    const { dir, calls, erasure } = await countingStore()
    const e = erasure()
    await store.db.insertInto('seen_jtis').values({ jti: 'x'.repeat(40), expires_at: '2030-01-01T00:00:00Z' }).execute()
    expect(fs.statSync(path.join(dir, 'tessera.db-wal')).size).toBeGreaterThan(0)
    for (let i = 0; i < 10; i++) e.schedule()
    await sleep(100)
    expect(calls).toEqual([true])
    expect(fs.statSync(path.join(dir, 'tessera.db-wal')).size).toBe(0)
    await e.close()
  })

  it('tries again while the checkpoint cannot finish, and gives up after maxAttempts', async () => {
    const { calls, erasure } = await countingStore(2)
    const e = erasure()
    e.schedule()
    await sleep(150)
    expect(calls).toEqual([false, false, true])
    const { calls: never, erasure: stuck } = await countingStore(100)
    const s = stuck()
    s.schedule()
    await sleep(250)
    expect(never).toEqual([false, false, false, false, false])
    await Promise.all([e.close(), s.close()])
  })

  it('runs a pending checkpoint at close instead of dropping it', async () => {
    const { calls, erasure } = await countingStore()
    const e = erasure(10_000)
    e.schedule()
    await e.close()
    expect(calls).toEqual([true])
    e.schedule()
    await sleep(20)
    expect(calls).toEqual([true])
  })
})
