// `tessera keys rotate-master`: a new master key without downtime. With key files: the new key
// becomes current and the old one moves to master.key.previous; running vaults pick both up
// on their next key-file read; after that wait every wrapped value is wrapped again under the
// new key, and the old key is dropped once nothing needs it. With TESSERA_MASTER_KEY the
// operator has already switched the environment (new key current, old in
// TESSERA_MASTER_KEYS_PREVIOUS): only the re-wrap runs.
import path from 'node:path'
import { SQLITE_FILE, type Config } from './config.js'
import { masterKeyId } from './crypto/local-key-source.js'
import { loadMasterKeys, localKeySource, PREVIOUS_KEYS_FILE, rotateKeyFiles, writeKeyFile } from './crypto/master-key.js'
import { openKeySource } from './key-check.js'
import { openStore } from './store/database.js'
import { rewrapAll, type RewrapReport } from './store/rewrap.js'

export interface MasterRotationOptions {
  config: Config
  /** How long running vaults get to read the new key files before values are re-wrapped. */
  waitMs?: number
  log(line: string): void
}

export interface MasterRotationResult extends RewrapReport {
  currentKeyId: string
  retiredKeyIds: string[]
}

export async function rotateMaster(options: MasterRotationOptions): Promise<MasterRotationResult> {
  const { config, log } = options
  const fileMode = !config.masterKeys
  const store = await openStore({ databaseUrl: config.databaseUrl, sqliteFile: path.join(config.dataDir, SQLITE_FILE) })
  try {
    // The keys loaded now must open what is stored: a rotation never starts from a lost key.
    await openKeySource(store.db, config)
    if (fileMode) {
      const { previous, current } = rotateKeyFiles(config.dataDir)
      log(`Master key ${masterKeyId(current)} is current; ${masterKeyId(previous)} still unwraps.`)
      const waitMs = options.waitMs ?? config.masterKeyReloadMs + 1000
      log(`Waiting ${waitMs} ms for running vaults to read the new key...`)
      await new Promise((r) => setTimeout(r, waitMs))
    }
    const keySource = localKeySource(config, { create: false })
    const report = await rewrapAll(store.db, keySource)
    log(`Re-wrapped ${report.rewrapped} keys under ${keySource.currentKeyId}.`)
    const retiredKeyIds: string[] = []
    if (fileMode) {
      const previous = loadMasterKeys({ dataDir: config.dataDir }, { create: false }).slice(1)
      const stillNeeded = previous.filter((k) => (report.remaining[masterKeyId(k)] ?? 0) > 0)
      retiredKeyIds.push(...previous.filter((k) => !stillNeeded.includes(k)).map(masterKeyId))
      writeKeyFile(path.join(config.dataDir, PREVIOUS_KEYS_FILE), stillNeeded)
      for (const id of retiredKeyIds) log(`Master key ${id} is no longer needed and was removed.`)
      for (const k of stillNeeded) log(`Master key ${masterKeyId(k)} still wraps ${report.remaining[masterKeyId(k)]} values (a vault that had not read the new key?): run rotate-master again later.`)
    }
    return { ...report, currentKeyId: keySource.currentKeyId, retiredKeyIds }
  } finally {
    await store.close()
  }
}
