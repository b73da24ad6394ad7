import crypto from 'node:crypto'
import util from 'node:util'
import { describe, expect, it } from 'vitest'
import { CardCipher, type DataKeyRecord, type DataKeyStore } from '../../../backend/crypto/card-cipher.js'
import { LocalKeySource, masterKeyFrom } from '../../../backend/crypto/local-key-source.js'
import { CardNumber } from '../../../backend/crypto/secret.js'

function memoryStore(): DataKeyStore & { rows: (DataKeyRecord & { projectId: string; mode: string })[] } {
  const rows: (DataKeyRecord & { projectId: string; mode: string })[] = []
  return {
    rows,
    list: async (p, m) => [...rows].reverse().filter((r) => r.projectId === p && r.mode === m),
    byId: async (id) => rows.find((r) => r.id === id),
    insert: async (r) => void rows.push(r),
  }
}

const master = () => masterKeyFrom(crypto.randomBytes(32))
const binding = { projectId: 'proj_a', mode: 'test', token: 'tok_1' }

describe('CardCipher', () => {
  it('seals a number that opens again with the same binding', async () => {
    const cipher = new CardCipher(new LocalKeySource([master()]), memoryStore())
    const sealed = await cipher.seal(CardNumber.of('4242424242424242'), binding)
    expect(sealed.ciphertext).not.toContain('4242')
    expect((await cipher.open(sealed, binding)).reveal()).toBe('4242424242424242')
  })

  it('refuses to open a ciphertext moved to another token, project or mode', async () => {
    const cipher = new CardCipher(new LocalKeySource([master()]), memoryStore())
    const sealed = await cipher.seal(CardNumber.of('4242424242424242'), binding)
    for (const other of [{ ...binding, token: 'tok_2' }, { ...binding, projectId: 'proj_b' }, { ...binding, mode: 'live' }]) {
      await expect(cipher.open(sealed, other)).rejects.toThrow()
    }
  })

  it('refuses a ciphertext with one bit flipped', async () => {
    const cipher = new CardCipher(new LocalKeySource([master()]), memoryStore())
    const sealed = await cipher.seal(CardNumber.of('4242424242424242'), binding)
    const body = Buffer.from(sealed.ciphertext.slice(3), 'base64url')
    body[14] = (body[14] as number) ^ 1
    await expect(cipher.open({ ...sealed, ciphertext: 'c1.' + body.toString('base64url') }, binding)).rejects.toThrow()
  })

  it('wraps one data key per project and mode, which another master key cannot unwrap', async () => {
    const store = memoryStore()
    const cipher = new CardCipher(new LocalKeySource([master()]), store)
    await cipher.seal(CardNumber.of('4242424242424242'), binding)
    await cipher.seal(CardNumber.of('4111111111111111'), { ...binding, token: 'tok_9' })
    await cipher.seal(CardNumber.of('4111111111111111'), { ...binding, mode: 'live' })
    expect(store.rows).toHaveLength(2)
    const stranger = new CardCipher(new LocalKeySource([master()]), store)
    const sealed = await cipher.seal(CardNumber.of('4242424242424242'), binding)
    await expect(stranger.open(sealed, binding)).rejects.toThrow(/not loaded/)
  })
})

describe('CardCipher data-key rotation', () => {
  it('seals under the new key at once in the rotating process, within refreshMs in another, and forgets a destroyed key', async () => {
    const store = memoryStore()
    const keySource = new LocalKeySource([master()])
    let now = 0
    const rotating = new CardCipher(keySource, store, { refreshMs: 2000, now: () => now })
    const other = new CardCipher(keySource, store, { refreshMs: 2000, now: () => now })
    const before = await other.seal(CardNumber.of('4242424242424242'), binding)
    const newId = await rotating.rotate(binding.projectId, binding.mode)
    expect(newId).not.toBe(before.dataKeyId)
    expect((await rotating.seal(CardNumber.of('4242424242424242'), binding)).dataKeyId).toBe(newId)
    // The other process keeps its key until its refresh comes round, then takes the new one.
    now = 1999
    expect((await other.seal(CardNumber.of('4242424242424242'), binding)).dataKeyId).toBe(before.dataKeyId)
    now = 2000
    expect((await other.seal(CardNumber.of('4242424242424242'), binding)).dataKeyId).toBe(newId)
    // Both keys open what they sealed; the binding is unchanged by the rotation.
    expect((await rotating.open(before, binding)).reveal()).toBe('4242424242424242')
    await expect(rotating.open(before, { ...binding, token: 'tok_2' })).rejects.toThrow()
    // The old key's row is destroyed: after the next refresh no process opens with it.
    store.rows.splice(store.rows.findIndex((r) => r.id === before.dataKeyId), 1)
    now = 4000
    await other.seal(CardNumber.of('4242424242424242'), binding)
    await expect(other.open(before, binding)).rejects.toThrow(/not found/)
  })
})

describe('CardNumber', () => {
  it('prints, serialises and inspects as the masked number only', () => {
    const n = CardNumber.of('4242424242424242')
    expect(String(n)).toBe('424242******4242')
    expect(JSON.stringify({ n })).toBe('{"n":"424242******4242"}')
    expect(util.inspect({ n })).toContain('424242******4242')
    expect(util.inspect({ n })).not.toContain('4242424242424242')
    expect(`${n}`).not.toContain('4242424242424242')
  })

  it('accepts only 12-19 digits', () => {
    for (const bad of ['4242', '4242 4242 4242 4242', '42424242424242424242', 'abcdabcdabcdabcd']) expect(() => CardNumber.of(bad)).toThrow()
  })
})

describe('LocalKeySource', () => {
  it('binds the context: a wrapped key does not unwrap for another purpose', async () => {
    const source = new LocalKeySource([master()])
    const wrapped = await source.wrap(Buffer.from('secret'), 'data-key|a|test')
    expect(Buffer.from(await source.unwrap(wrapped, 'data-key|a|test')).toString()).toBe('secret')
    await expect(source.unwrap(wrapped, 'data-key|b|test')).rejects.toThrow()
  })

  it('unwraps with every loaded master key and wraps with the first', async () => {
    const oldKey = master()
    const newKey = master()
    const before = new LocalKeySource([oldKey])
    const wrapped = await before.wrap(Buffer.from('k'), 'ctx')
    const during = new LocalKeySource([newKey, oldKey])
    expect(Buffer.from(await during.unwrap(wrapped, 'ctx')).toString()).toBe('k')
    expect(during.keyIdOf(await during.wrap(Buffer.from('k'), 'ctx'))).toBe(newKey.id)
  })
})

describe('LocalKeySource with key files re-read', () => {
  it('wraps with a new current key after the reload interval, and re-reads at once for an unknown key id', async () => {
    const first = master()
    const second = master()
    let files = [first]
    let now = 10_000
    const source = new LocalKeySource(files, { load: () => files, intervalMs: 5000, now: () => now })
    const other = new LocalKeySource([second, first])
    files = [second, first]
    expect(source.currentKeyId).toBe(first.id)
    now += 1500
    // Unknown key id: read again at once (after the one-second floor), then unwrap.
    const byOther = await other.wrap(Buffer.from('x'), 'ctx')
    expect(Buffer.from(await source.unwrap(byOther, 'ctx')).toString()).toBe('x')
    expect(source.currentKeyId).toBe(second.id)
  })
})
