// `tessera keys rotate-data`: a new data key per project and mode without downtime. The new
// key is current at once here and in every running vault within their refresh (2 s); after a
// wait for that, stored cards still under an old key are re-encrypted in bounded batches (each
// one short transaction; a card stays readable throughout, its binding unchanged: project,
// mode, token), passes repeating until none is left; then the old keys' rows are deleted, and
// on SQLite the WAL is checkpointed so no copy of them remains in the data folder.
import path from 'node:path'
import { systemClock } from './clock.js'
import { SQLITE_FILE, type Config } from './config.js'
import { CARD_CIPHER_DEFAULTS, CardCipher } from './crypto/card-cipher.js'
import { openKeySource } from './key-check.js'
import { createLogger } from './logger.js'
import { openStore, type Store } from './store/database.js'
import { Erasure } from './store/erasure.js'
import { dataKeyStore } from './store/key-tables.js'
import { dataKeyIds, dataKeyScopes, deleteUnusedDataKeys, replaceSealed, sealedUnder, type DataKeyScope, type SealedRow } from './store/sealed-cards.js'

export interface DataKeyRotationOptions {
  config: Config
  /** Only this project's keys (both modes); default every project. */
  projectId?: string | undefined
  /** How long running vaults get to take the new key before cards are re-encrypted. */
  waitMs?: number | undefined
  /** Cards per re-encryption transaction. */
  batchSize?: number | undefined
  log(line: string): void
}

export const DATA_KEY_ROTATION_DEFAULTS = {
  /** A vault's refresh plus time for a request that sealed just before it to commit. */
  waitMs: CARD_CIPHER_DEFAULTS.refreshMs + 3000,
  batchSize: 200,
  /** A pause between batches, so requests get the database in between. */
  pauseMs: 10,
  /** Between two empty passes before the deletion. */
  settleMs: 1000,
  /** Passes over a project before giving up on cards that keep arriving under an old key. */
  maxPasses: 8,
} as const

export interface ScopeRotation extends DataKeyScope {
  newKeyId: string
  destroyedKeyIds: string[]
  /** Old keys still in use (a straggler sealed under one after the last pass): run again. */
  keptKeyIds: string[]
  reencrypted: number
  /** A card was sealed under an old key after it was destroyed (a vault far behind): exit 1. */
  cardsLost: boolean
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Re-encrypts every card of `scope` under `oldIds`, one pass in token order; returns how many. */
async function reencryptPass(store: Store, cipher: CardCipher, scope: DataKeyScope, oldIds: string[], batchSize: number): Promise<{ replaced: number; seen: number }> {
  let after = ''
  let replaced = 0
  let seen = 0
  for (;;) {
    const rows = await sealedUnder(store.db, scope, oldIds, after, batchSize)
    if (rows.length === 0) return { replaced, seen }
    const batch: { from: SealedRow; to: SealedRow }[] = []
    for (const row of rows) {
      const binding = { ...scope, token: row.token }
      const sealed = await cipher.seal(await cipher.open(row, binding), binding)
      batch.push({ from: row, to: { token: row.token, ...sealed } })
    }
    replaced += await replaceSealed(store.db, scope, batch)
    seen += rows.length
    after = (rows.at(-1) as SealedRow).token
    await pause(DATA_KEY_ROTATION_DEFAULTS.pauseMs)
  }
}

export async function rotateDataKeys(options: DataKeyRotationOptions): Promise<ScopeRotation[]> {
  const { config, log } = options
  const batchSize = options.batchSize ?? DATA_KEY_ROTATION_DEFAULTS.batchSize
  const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: path.join(config.dataDir, SQLITE_FILE) })
  const erasure = new Erasure(store.db, store.dialect, createLogger({ level: 'warn', destination: process.stderr as never }))
  try {
    const keySource = await openKeySource(store.db, config)
    const cipher = new CardCipher(keySource, dataKeyStore(store.db, systemClock))
    const scopes = await dataKeyScopes(store.db, options.projectId)
    if (scopes.length === 0) log('No data keys to rotate (no card stored yet).')
    const started: (DataKeyScope & { oldIds: string[]; newKeyId: string })[] = []
    for (const scope of scopes) {
      const oldIds = await dataKeyIds(store.db, scope)
      const newKeyId = await cipher.rotate(scope.projectId, scope.mode)
      started.push({ ...scope, oldIds, newKeyId })
      log(`Data key ${newKeyId} seals new cards of ${scope.projectId} (${scope.mode}); replacing ${oldIds.join(', ')}.`)
    }
    if (started.length === 0) return []
    const waitMs = options.waitMs ?? DATA_KEY_ROTATION_DEFAULTS.waitMs
    log(`Waiting ${waitMs} ms for running vaults to take the new keys...`)
    await pause(waitMs)

    const results: ScopeRotation[] = []
    for (const { oldIds, newKeyId, ...scope } of started) {
      let reencrypted = 0
      let destroyed: string[] = []
      let quiet = false
      for (let pass = 0; pass < DATA_KEY_ROTATION_DEFAULTS.maxPasses; pass++) {
        const { replaced, seen } = await reencryptPass(store, cipher, scope, oldIds, batchSize)
        reencrypted += replaced
        if (seen > 0 || !quiet) {
          // Destroy only after two empty passes around a pause: a read of an old row finishes
          // opening it, and a late seal under an old key shows up first.
          quiet = seen === 0
          if (quiet) await pause(DATA_KEY_ROTATION_DEFAULTS.settleMs)
          continue
        }
        destroyed = await deleteUnusedDataKeys(store.db, oldIds)
        if (destroyed.length === oldIds.length) break
        quiet = false
      }
      const lost = destroyed.length > 0 ? await sealedUnder(store.db, scope, destroyed, '', 1) : []
      if (lost.length > 0) log(`ERROR: a card was stored under destroyed data key ${lost[0]?.dataKeyId} after the last pass (a vault that had not refreshed its key for ${waitMs} ms); it cannot be opened.`)
      const kept = oldIds.filter((id) => !destroyed.includes(id))
      results.push({ ...scope, newKeyId, destroyedKeyIds: destroyed, keptKeyIds: kept, reencrypted, cardsLost: lost.length > 0 })
      log(`Re-encrypted ${reencrypted} cards of ${scope.projectId} (${scope.mode}) under ${newKeyId}.`)
      if (destroyed.length > 0) log(`Data key ${destroyed.join(', ')} destroyed.`)
      if (kept.length > 0) log(`Data key ${kept.join(', ')} is still in use (cards kept arriving under it): run rotate-data again.`)
    }
    // No copy of a destroyed key's row or of a replaced ciphertext stays in the WAL.
    for (let attempt = 0; attempt < 20 && !(await erasure.run()); attempt++) await pause(200)
    return results
  } finally {
    await erasure.close()
    await store.close()
  }
}
