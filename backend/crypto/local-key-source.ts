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

export class LocalKeySource implements KeySource {
  readonly #keys: Map<string, SecretBytes>
  readonly currentKeyId: string

  /** `keys[0]` wraps new values; every key unwraps. */
  constructor(keys: MasterKey[]) {
    const first = keys[0]
    if (!first) throw new Error('at least one master key is needed')
    this.currentKeyId = first.id
    this.#keys = new Map(keys.map((k) => [k.id, k.key]))
  }

  async wrap(plaintext: Uint8Array, context: string): Promise<string> {
    return this.wrapSync(plaintext, context)
  }

  wrapSync(plaintext: Uint8Array, context: string): string {
    const key = this.#keys.get(this.currentKeyId) as SecretBytes
    const iv = crypto.randomBytes(12)
    const cipher = crypto.createCipheriv('aes-256-gcm', key.expose(), iv)
    cipher.setAAD(Buffer.from(`${this.currentKeyId}|${context}`))
    const body = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
    return `${FORMAT}.${this.currentKeyId}.${body.toString('base64url')}`
  }

  async unwrap(wrapped: string, context: string): Promise<Uint8Array> {
    const [format, keyId, payload] = wrapped.split('.')
    if (format !== FORMAT || !keyId || !payload) throw new Error('not a wrapped key')
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
