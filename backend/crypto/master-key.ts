// Where the master key comes from: TESSERA_MASTER_KEY (base64 or hex, 32 bytes) or, when it
// is absent, a key file generated once in the data folder with mode 0600.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export const MASTER_KEY_FILE = 'master.key'

export function parseMasterKey(text: string): Uint8Array {
  const trimmed = text.trim()
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64')
  if (bytes.length !== 32) throw new Error('TESSERA_MASTER_KEY must be 32 bytes, as 64 hex digits or base64')
  return bytes
}

/**
 * Reads the master key file, creating it if no process has yet. The key is written to a
 * private temporary file and hard-linked into place, so a concurrent reader never sees a
 * half-written file and two processes never create two keys.
 */
export function loadOrCreateKeyFile(dataDir: string): Uint8Array {
  const file = path.join(dataDir, MASTER_KEY_FILE)
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

export function loadMasterKeyBytes(env: NodeJS.ProcessEnv, dataDir: string): Uint8Array {
  const fromEnv = env.TESSERA_MASTER_KEY
  return fromEnv ? parseMasterKey(fromEnv) : loadOrCreateKeyFile(dataDir)
}
