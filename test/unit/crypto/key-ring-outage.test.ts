// A key ring whose periodic re-read fails (the database is away) keeps serving the keys it
// holds and tries again a second later; a ring that never loaded has nothing to serve and says so.
import crypto from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../../backend/clock.js'
import { JweKeyRing } from '../../../backend/crypto/jwe-keys.js'
import type { KeyRecord, KeyStore } from '../../../backend/crypto/key-ring.js'
import { LocalKeySource, masterKeyFrom } from '../../../backend/crypto/local-key-source.js'

function flakyStore(): KeyStore & { down: boolean; reads: number } {
  const rows: KeyRecord[] = []
  const store = {
    down: false,
    reads: 0,
    async list() {
      store.reads++
      if (store.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
      return rows.map((r) => ({ ...r }))
    },
    insert: async (record: KeyRecord) => void rows.push(record),
    rotate: async (record: KeyRecord) => void rows.push(record),
    retire: async () => undefined,
  }
  return store
}

const keySource = () => new LocalKeySource([masterKeyFrom(crypto.randomBytes(32))])

describe('a key ring across a database outage', () => {
  it('serves the keys it holds when a re-read fails, and re-reads a second later', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z')
    const store = flakyStore()
    const ring = new JweKeyRing(store, keySource(), clock, { refreshMs: 30_000 })
    await ring.init()
    const before = await ring.jwks()
    expect(before.keys).toHaveLength(1)

    store.down = true
    clock.advance(30_000)
    const readsBefore = store.reads
    expect(await ring.jwks()).toEqual(before)
    expect(store.reads).toBe(readsBefore + 1)
    // Not again at once: the next try comes a second later.
    expect(await ring.jwks()).toEqual(before)
    expect(store.reads).toBe(readsBefore + 1)
    clock.advance(1_000)
    await ring.jwks()
    expect(store.reads).toBe(readsBefore + 2)

    store.down = false
    clock.advance(1_000)
    expect(await ring.jwks()).toEqual(before)
    expect(store.reads).toBe(readsBefore + 3)
    // Back on the usual schedule.
    await ring.jwks()
    expect(store.reads).toBe(readsBefore + 3)
  })

  it('fails when it has never loaded a key: nothing to serve', async () => {
    const store = flakyStore()
    store.down = true
    const ring = new JweKeyRing(store, keySource(), new ManualClock())
    await expect(ring.jwks()).rejects.toThrow(/ECONNREFUSED/)
  })
})
