// Seals card numbers at rest: AES-256-GCM under a per-project, per-mode data key that the
// key source wraps; the project, mode and token are bound in as associated data, so a
// ciphertext copied onto another token row does not open.
import crypto from 'node:crypto'
import type { KeySource } from './key-source.js'
import { CardNumber, SecretBytes } from './secret.js'
import { dataKeyContext } from './key-contexts.js'

const FORMAT = 'c1'

export interface CardBinding {
  projectId: string
  mode: string
  token: string
}

export interface DataKeyRecord {
  id: string
  wrapped: string
}

/** The slice of storage the cipher needs: find or create the current data key of a project. */
export interface DataKeyStore {
  current(projectId: string, mode: string): Promise<DataKeyRecord | undefined>
  byId(id: string): Promise<DataKeyRecord | undefined>
  insert(record: DataKeyRecord & { projectId: string; mode: string; masterKeyId: string }): Promise<void>
}

export interface SealedCard {
  dataKeyId: string
  ciphertext: string
}

const aad = (b: CardBinding) => Buffer.from(`tessera:card:v1|${b.projectId}|${b.mode}|${b.token}`)
export { dataKeyContext }

export class CardCipher {
  readonly #keys = new Map<string, SecretBytes>()
  readonly #current = new Map<string, string>()

  constructor(
    private readonly keySource: KeySource,
    private readonly store: DataKeyStore,
  ) {}

  async seal(number: CardNumber, binding: CardBinding): Promise<SealedCard> {
    const { id, key } = await this.currentKey(binding.projectId, binding.mode)
    const iv = crypto.randomBytes(12)
    const cipher = crypto.createCipheriv('aes-256-gcm', key.expose(), iv)
    cipher.setAAD(aad(binding))
    const body = Buffer.concat([iv, cipher.update(number.reveal(), 'ascii'), cipher.final(), cipher.getAuthTag()])
    return { dataKeyId: id, ciphertext: `${FORMAT}.${body.toString('base64url')}` }
  }

  async open(sealed: SealedCard, binding: CardBinding): Promise<CardNumber> {
    const key = await this.keyById(sealed.dataKeyId, binding)
    const [format, payload] = sealed.ciphertext.split('.')
    if (format !== FORMAT || !payload) throw new Error('unknown card ciphertext format')
    const body = Buffer.from(payload, 'base64url')
    const decipher = crypto.createDecipheriv('aes-256-gcm', key.expose(), body.subarray(0, 12))
    decipher.setAAD(aad(binding))
    decipher.setAuthTag(body.subarray(body.length - 16))
    const clear = Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()])
    return CardNumber.of(clear.toString('ascii'))
  }

  private async currentKey(projectId: string, mode: string): Promise<{ id: string; key: SecretBytes }> {
    const scope = `${projectId}|${mode}`
    const cachedId = this.#current.get(scope)
    if (cachedId) return { id: cachedId, key: this.#keys.get(cachedId) as SecretBytes }
    let record = await this.store.current(projectId, mode)
    if (!record) {
      const fresh = crypto.randomBytes(32)
      record = { id: 'dk_' + crypto.randomBytes(12).toString('hex'), wrapped: await this.keySource.wrap(fresh, dataKeyContext(projectId, mode)) }
      await this.store.insert({ ...record, projectId, mode, masterKeyId: this.keySource.currentKeyId })
      // Another process may have created one at the same moment; both keys stay valid, and
      // every process converges on the newest.
      record = (await this.store.current(projectId, mode)) ?? record
    }
    const key = await this.keyById(record.id, { projectId, mode, token: '' }, record)
    this.#current.set(scope, record.id)
    return { id: record.id, key }
  }

  private async keyById(id: string, scope: CardBinding, known?: DataKeyRecord): Promise<SecretBytes> {
    const cached = this.#keys.get(id)
    if (cached) return cached
    const record = known ?? (await this.store.byId(id))
    if (!record) throw new Error(`data key ${id} not found`)
    const key = new SecretBytes(await this.keySource.unwrap(record.wrapped, dataKeyContext(scope.projectId, scope.mode)))
    this.#keys.set(id, key)
    return key
  }

  /** Forgets cached keys (after a master-key rotation re-wrapped them). */
  clear(): void {
    this.#keys.clear()
    this.#current.clear()
  }
}
