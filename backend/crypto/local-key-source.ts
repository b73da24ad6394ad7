// KeySource over local master keys (AES-256-GCM key wrapping). Several master keys may be
// loaded during a rotation: the first wraps, all of them unwrap.
import crypto from 'node:crypto'
import type { KeySource } from './key-source.js'
import { SecretBytes } from './secret.js'

const FORMAT = 'mk1'

export interface MasterKey {
  id: string
  key: SecretBytes
}

/** A master key's id is derived from the key, so every process names it the same way. */
export function masterKeyId(key: Uint8Array): string {
  return 'mk_' + crypto.createHash('sha256').update('tessera:master-key-id').update(key).digest('hex').slice(0, 16)
}

export function masterKeyFrom(bytes: Uint8Array): MasterKey {
  if (bytes.length !== 32) throw new Error('a master key is 32 bytes')
  return { id: masterKeyId(bytes), key: new SecretBytes(bytes) }
}

export interface KeyReload {
  /** Reads the keys again (current first): a rotation by another process is picked up. */
  load(): MasterKey[]
  /** How often at most the keys are read again. */
  intervalMs: number
  now(): number
}

export const KEY_RELOAD_DEFAULTS = { intervalMs: 10_000 } as const

export class LocalKeySource implements KeySource {
  #keys: Map<string, SecretBytes>
  #current: string
  #loadedAt = 0

  /** `keys[0]` wraps new values; every key unwraps. */
  constructor(
    keys: MasterKey[],
    private readonly reload?: KeyReload,
  ) {
    const first = keys[0]
    if (!first) throw new Error('at least one master key is needed')
    this.#current = first.id
    this.#keys = new Map(keys.map((k) => [k.id, k.key]))
    this.#loadedAt = reload?.now() ?? 0
  }

  get currentKeyId(): string {
    this.refresh(false)
    return this.#current
  }

  private refresh(force: boolean): void {
    if (!this.reload) return
    const now = this.reload.now()
    // A forced re-read (an unknown key id) still waits a second between reads.
    if (now - this.#loadedAt < (force ? 1000 : this.reload.intervalMs)) return
    this.#loadedAt = now
    let keys: MasterKey[]
    try {
      keys = this.reload.load()
    } catch {
      // A key file removed or half-edited while the vault runs: keep the keys already loaded.
      return
    }
    if (keys[0]) {
      this.#current = keys[0].id
      this.#keys = new Map(keys.map((k) => [k.id, k.key]))
    }
  }

  async wrap(plaintext: Uint8Array, context: string): Promise<string> {
    return this.wrapSync(plaintext, context)
  }

  wrapSync(plaintext: Uint8Array, context: string): string {
    this.refresh(false)
    const keyId = this.#current
    const key = this.#keys.get(keyId) as SecretBytes
    const iv = crypto.randomBytes(12)
    const cipher = crypto.createCipheriv('aes-256-gcm', key.expose(), iv)
    cipher.setAAD(Buffer.from(`${keyId}|${context}`))
    const body = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
    return `${FORMAT}.${keyId}.${body.toString('base64url')}`
  }

  async unwrap(wrapped: string, context: string): Promise<Uint8Array> {
    const [format, keyId, payload] = wrapped.split('.')
    if (format !== FORMAT || !keyId || !payload) throw new Error('not a wrapped key')
    if (!this.#keys.has(keyId)) this.refresh(true)
    const key = this.#keys.get(keyId)
    if (!key) throw new Error(`master key ${keyId} is not loaded`)
    const body = Buffer.from(payload, 'base64url')
    const decipher = crypto.createDecipheriv('aes-256-gcm', key.expose(), body.subarray(0, 12))
    decipher.setAAD(Buffer.from(`${keyId}|${context}`))
    decipher.setAuthTag(body.subarray(body.length - 16))
    return Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()])
  }

  keyIdOf(wrapped: string): string {
    return wrapped.split('.')[1] ?? ''
  }
}
