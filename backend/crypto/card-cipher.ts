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

/** The slice of storage the cipher needs: a project's data keys, and a way to add one. */
export interface DataKeyStore {
  /** The data keys of a project and mode, the newest (the current one) first. */
  list(projectId: string, mode: string): Promise<DataKeyRecord[]>
  byId(id: string): Promise<DataKeyRecord | undefined>
  insert(record: DataKeyRecord & { projectId: string; mode: string; masterKeyId: string }): Promise<void>
}

export interface CardCipherOptions {
  /**
   * How often a process re-reads which data key is current (a rotation by another process
   * reaches it within this) and forgets keys that were destroyed.
   */
  refreshMs: number
  /** Milliseconds for the refresh: key polling is infrastructure, not domain time. */
  now(): number
}

export const CARD_CIPHER_DEFAULTS = { refreshMs: 2000 } as const

export interface SealedCard {
  dataKeyId: string
  ciphertext: string
}

const aad = (b: CardBinding) => Buffer.from(`tessera:card:v1|${b.projectId}|${b.mode}|${b.token}`)
export { dataKeyContext }

export class CardCipher {
  readonly #keys = new Map<string, { key: SecretBytes; scope: string }>()
  readonly #current = new Map<string, { id: string; loadedAt: number }>()
  readonly #loading = new Map<string, Promise<string>>()
  private readonly options: CardCipherOptions

  constructor(
    private readonly keySource: KeySource,
    private readonly store: DataKeyStore,
    options: Partial<CardCipherOptions> = {},
  ) {
    this.options = { refreshMs: CARD_CIPHER_DEFAULTS.refreshMs, now: () => Date.now(), ...options }
  }

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

  /**
   * A new data key for a project and mode, current from now on in this process (other
   * processes take it within refreshMs). Keys already stored keep opening what they sealed.
   */
  async rotate(projectId: string, mode: string): Promise<string> {
    const id = await this.createKey(projectId, mode)
    this.#current.set(`${projectId}|${mode}`, { id, loadedAt: this.options.now() })
    return id
  }

  private async currentKey(projectId: string, mode: string): Promise<{ id: string; key: SecretBytes }> {
    const scope = `${projectId}|${mode}`
    const cached = this.#current.get(scope)
    let id = cached && this.options.now() - cached.loadedAt < this.options.refreshMs ? cached.id : undefined
    if (!id) {
      // Concurrent callers share one read.
      let loading = this.#loading.get(scope)
      if (!loading) {
        loading = this.loadCurrent(projectId, mode).finally(() => this.#loading.delete(scope))
        this.#loading.set(scope, loading)
      }
      id = await loading
    }
    return { id, key: await this.keyById(id, { projectId, mode, token: '' }) }
  }

  /** Reads the scope's keys: the newest is current; cached keys no longer stored are forgotten. */
  private async loadCurrent(projectId: string, mode: string): Promise<string> {
    const scope = `${projectId}|${mode}`
    let records = await this.store.list(projectId, mode)
    if (records.length === 0) {
      await this.createKey(projectId, mode)
      // Another process may have created one at the same moment; both keys stay valid, and
      // every process converges on the newest.
      records = await this.store.list(projectId, mode)
    }
    const live = new Set(records.map((r) => r.id))
    for (const [id, entry] of this.#keys) if (entry.scope === scope && !live.has(id)) this.#keys.delete(id)
    const current = records[0] as DataKeyRecord
    await this.keyById(current.id, { projectId, mode, token: '' }, current)
    this.#current.set(scope, { id: current.id, loadedAt: this.options.now() })
    return current.id
  }

  private async createKey(projectId: string, mode: string): Promise<string> {
    const fresh = crypto.randomBytes(32)
    const record = { id: 'dk_' + crypto.randomBytes(12).toString('hex'), wrapped: await this.keySource.wrap(fresh, dataKeyContext(projectId, mode)) }
    await this.store.insert({ ...record, projectId, mode, masterKeyId: this.keySource.currentKeyId })
    this.#keys.set(record.id, { key: new SecretBytes(fresh), scope: `${projectId}|${mode}` })
    return record.id
  }

  private async keyById(id: string, scope: CardBinding, known?: DataKeyRecord): Promise<SecretBytes> {
    const cached = this.#keys.get(id)
    if (cached) return cached.key
    const record = known ?? (await this.store.byId(id))
    if (!record) throw new Error(`data key ${id} not found`)
    const key = new SecretBytes(await this.keySource.unwrap(record.wrapped, dataKeyContext(scope.projectId, scope.mode)))
    this.#keys.set(id, { key, scope: `${scope.projectId}|${scope.mode}` })
    return key
  }
}
