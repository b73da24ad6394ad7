// Where the master keys come from: TESSERA_MASTER_KEY (base64 or hex, 32 bytes) with
// TESSERA_MASTER_KEYS_PREVIOUS (comma-separated), parsed once by config.ts into
// Config.masterKeys, or, when it is absent, the key file generated once in the data folder with
// mode 0600, with the keys a rotation retired beside it.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { KEY_RELOAD_DEFAULTS, LocalKeySource, masterKeyFrom } from './local-key-source.js'
import type { SecretBytes } from './secret.js'

export const MASTER_KEY_FILE = 'master.key'
/** Keys a rotation moved aside, one per line: they still unwrap until nothing needs them. */
export const PREVIOUS_KEYS_FILE = 'master.key.previous'

export function parseMasterKey(text: string): Uint8Array {
  const trimmed = text.trim()
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64')
  if (bytes.length !== 32) throw new Error('TESSERA_MASTER_KEY must be 32 bytes, as 64 hex digits or base64')
  return bytes
}

/** Where the master keys come from; a Config is one (its fields come from the environment). */
export interface MasterKeySettings {
  dataDir: string
  /** Given keys, current first (TESSERA_MASTER_KEY, then TESSERA_MASTER_KEYS_PREVIOUS); absent: the key files in dataDir. */
  masterKeys?: readonly SecretBytes[] | undefined
  /** How often key files are read again (TESSERA_MASTER_KEY_RELOAD_MS; default KEY_RELOAD_DEFAULTS.intervalMs). */
  masterKeyReloadMs?: number
}

/** What a missing key file means for a caller that may not create one. */
export class MissingKeyFileError extends Error {
  constructor(readonly file: string) {
    super(`${file} is missing`)
    this.name = 'MissingKeyFileError'
  }
}

export interface KeyFileOptions {
  /**
   * Whether a missing key file may be created. Only a vault whose database holds no wrapped
   * key may: a new key would open nothing already stored (the vault refuses to start instead).
   */
  create: boolean
}

/**
 * Reads the master key file, creating it if no process has yet (and `create` allows it). The
 * key is written to a private temporary file and hard-linked into place, so a concurrent
 * reader never sees a half-written file and two processes never create two keys.
 */
export function loadOrCreateKeyFile(dataDir: string, options: KeyFileOptions = { create: true }): Uint8Array {
  const file = path.join(dataDir, MASTER_KEY_FILE)
  if (!options.create && !fs.existsSync(file)) throw new MissingKeyFileError(file)
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  if (!fs.existsSync(file)) {
    const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`
    fs.writeFileSync(temp, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' })
    try {
      fs.linkSync(temp, file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    } finally {
      fs.unlinkSync(temp)
    }
  }
  const mode = fs.statSync(file).mode & 0o777
  if (mode & 0o077) throw new Error(`${file} must not be readable by others (mode ${mode.toString(8)}); chmod 600 it`)
  return parseMasterKey(fs.readFileSync(file, 'utf8'))
}

/** The current key first, then the previous ones (during and after a rotation). */
export function loadMasterKeys(settings: MasterKeySettings, options: KeyFileOptions = { create: true }): Uint8Array[] {
  if (settings.masterKeys) return settings.masterKeys.map((k) => k.expose())
  const { dataDir } = settings
  const current = loadOrCreateKeyFile(dataDir, options)
  const file = path.join(dataDir, PREVIOUS_KEYS_FILE)
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map(parseMasterKey) : []
  return [current, ...previous]
}

/** Replaces a key file in one step (write aside, then rename), owner-readable only. */
export function writeKeyFile(file: string, keys: Uint8Array[]): void {
  const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`
  fs.writeFileSync(temp, keys.map((k) => Buffer.from(k).toString('base64') + '\n').join(''), { mode: 0o600, flag: 'wx' })
  fs.renameSync(temp, file)
}

/** Makes a fresh key current and moves the old current key to the previous keys. */
export function rotateKeyFiles(dataDir: string): { previous: Uint8Array; current: Uint8Array } {
  const [previous, ...older] = loadMasterKeys({ dataDir }, { create: false }) as [Uint8Array, ...Uint8Array[]]
  const current = crypto.randomBytes(32)
  // Previous keys first, so no moment exists where a value is wrapped by a key no file holds.
  writeKeyFile(path.join(dataDir, PREVIOUS_KEYS_FILE), [previous, ...older])
  writeKeyFile(path.join(dataDir, MASTER_KEY_FILE), [current])
  return { previous, current }
}

/**
 * The vault's key source over local master keys. With key files, every process re-reads them
 * (at most every TESSERA_MASTER_KEY_RELOAD_MS, default 10 s, and at once for an unknown key id),
 * so `tessera keys rotate-master` takes effect without a restart. Key-file polling reads the
 * system clock: it is infrastructure, not domain time. A re-read never creates a key file.
 */
export function localKeySource(settings: MasterKeySettings, options: KeyFileOptions = { create: true }): LocalKeySource {
  const load = (create: boolean) => loadMasterKeys(settings, { create }).map(masterKeyFrom)
  const intervalMs = settings.masterKeyReloadMs ?? KEY_RELOAD_DEFAULTS.intervalMs
  return new LocalKeySource(load(options.create), settings.masterKeys ? undefined : { load: () => load(false), intervalMs, now: () => Date.now() })
}

/** What an operator should do when the loaded master key does not open what is stored. */
export function masterKeyRemedy({ dataDir, masterKeys }: MasterKeySettings): string {
  return masterKeys
    ? 'set TESSERA_MASTER_KEY to the key this database was created with (and TESSERA_MASTER_KEYS_PREVIOUS to any key a rotation left in use)'
    : `restore ${path.join(dataDir, MASTER_KEY_FILE)} (and ${PREVIOUS_KEYS_FILE}) from the backup made with this database, or set TESSERA_MASTER_KEY to the key it was created with`
}
