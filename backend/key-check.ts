// The vault's key source, opened against its database: a key file is created only for a
// database that holds no wrapped key yet, and a key source that cannot unwrap what is stored
// is refused (exit 1 at start-up; /health/ready answers not ready through checkMasterKey).
import type { Kysely } from 'kysely'
import type { KeySource } from './crypto/key-source.js'
import { checkWrappedValues, MasterKeyError, missingKeyCause, type MasterKeyCheck } from './crypto/master-check.js'
import { localKeySource, masterKeyRemedy, MissingKeyFileError, type MasterKeySettings } from './crypto/master-key.js'
import { wrappedSamples } from './store/rewrap.js'
import type { Database } from './store/schema.js'

export type { MasterKeyCheck }
export { MasterKeyError }

/** Whether `keySource` unwraps one stored value of every table and master key id. */
export async function checkMasterKey(db: Kysely<Database>, keySource: KeySource, remedy?: string): Promise<MasterKeyCheck> {
  return checkWrappedValues(keySource, await wrappedSamples(db), remedy)
}

function refuse(check: MasterKeyCheck): never {
  if (check.ok) throw new Error('refuse() called on a passing check')
  throw new MasterKeyError(check.code, check.cause)
}

/**
 * The key source a vault runs with: `given` (tests, a KMS) or the local master keys from the
 * environment or the data folder. Throws MasterKeyError when it does not open the stored keys,
 * and never creates master.key for a database that already holds wrapped keys.
 */
export async function openKeySource(db: Kysely<Database>, settings: MasterKeySettings, given?: KeySource): Promise<KeySource> {
  const samples = await wrappedSamples(db)
  const remedy = masterKeyRemedy(settings)
  let keySource = given
  if (!keySource) {
    try {
      keySource = localKeySource(settings, { create: samples.length === 0 })
    } catch (error) {
      if (error instanceof MissingKeyFileError) refuse(missingKeyCause(error.file, samples, remedy))
      throw error
    }
  }
  const check = await checkWrappedValues(keySource, samples, given ? undefined : remedy)
  if (!check.ok) refuse(check)
  return keySource
}
