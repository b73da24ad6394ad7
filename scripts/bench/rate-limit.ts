// What a rate-limited request pays for its shared bucket: the one upsert the limiter runs per
// tokenize call (two rows for a publishable key: key and address), timed on SQLite and on a
// throwaway PostgreSQL 15 (fsync off, as in the tests), sequentially and 8 at a time.
// Run: npx tsx scripts/bench/rate-limit.ts
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openStore, type Store } from '../../backend/store/database.js'
import { takeTokens } from '../../backend/store/rate-limits.js'
import { recordJti } from '../../backend/store/replay.js'
import { startPostgres } from '../../test/helpers/postgres-server.js'

const CALLS = 5_000
const take = (i: number) => [
  { key: 'tokenize|key|key_bench', emissionMs: 5, toleranceMs: 1995 },
  { key: `tokenize|addr|198.51.${(i >> 8) & 255}.${i & 255}`, emissionMs: 2000, toleranceMs: 38_000 },
]

async function measure(name: string, store: Store): Promise<void> {
  for (let i = 0; i < 200; i++) await takeTokens(store.db, take(i), Date.now())
  let started = performance.now()
  for (let i = 0; i < CALLS; i++) await takeTokens(store.db, take(i), Date.now())
  const sequential = ((performance.now() - started) * 1000) / CALLS
  started = performance.now()
  for (let i = 0; i < CALLS; i += 8) await Promise.all(Array.from({ length: 8 }, (_, j) => takeTokens(store.db, take(i + j), Date.now())))
  const concurrent = ((performance.now() - started) * 1000) / CALLS
  // For scale: the one-row insert every tokenize already makes (its JWE id), timed the same way.
  started = performance.now()
  for (let i = 0; i < CALLS; i++) await recordJti(store.db, `bench-${name}-${i}`, new Date().toISOString())
  const jti = ((performance.now() - started) * 1000) / CALLS
  console.log(`${name}: ${sequential.toFixed(0)} µs per call one at a time, ${concurrent.toFixed(0)} µs per call (wall) 8 at a time, ${CALLS} calls; a seen-jti insert: ${jti.toFixed(0)} µs`)
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-rl-bench-'))
const sqlite = await openStore({ databaseUrl: undefined, sqliteFile: path.join(dir, 'tessera.db') })
await measure('sqlite', sqlite)
await sqlite.close()
const pg = await startPostgres()
// The server's shutdown ends idle pool connections with an error event: expected here.
process.on('uncaughtException', (error) => {
  if (!/terminating connection/.test(String(error))) throw error
})
try {
  const store = await openStore({ databaseUrl: pg.adminUrl, sqliteFile: '' })
  await measure('postgres', store)
  await store.close()
} finally {
  await pg.stop()
  fs.rmSync(dir, { recursive: true, force: true })
}
