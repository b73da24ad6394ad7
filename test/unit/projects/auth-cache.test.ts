// The auth cache's single flight: concurrent misses for one key hash share one lookup and its
// answer or error; a lookup under way when the project changes answers who asked but is not kept.
import { describe, expect, it } from 'vitest'
import { AuthCache } from '../../../backend/projects/auth-cache.js'
import type { Principal } from '../../../backend/projects/project.js'

const principal = (projectId: string) => ({ keyId: 'key_1', kind: 'secret', mode: 'test', project: { id: projectId } }) as unknown as Principal

/** A lookUp whose answers the test releases by hand, counting its calls. */
function gatedLookUp() {
  const pending: { resolve: (p: Principal | null) => void; reject: (e: Error) => void }[] = []
  const lookUp = (_hash: string) => new Promise<Principal | null>((resolve, reject) => pending.push({ resolve, reject }))
  return { lookUp, pending }
}

describe('AuthCache.answer', () => {
  it('runs one lookup for concurrent misses on one hash, then answers from the cache', async () => {
    const cache = new AuthCache()
    const { lookUp, pending } = gatedLookUp()
    const answers = Array.from({ length: 10 }, () => cache.answer('h1', 0, lookUp))
    cache.answer('h2', 0, lookUp)
    expect(pending).toHaveLength(2)
    pending[0]?.resolve(principal('proj_a'))
    expect((await Promise.all(answers)).every((a) => a?.project.id === 'proj_a')).toBe(true)
    expect(cache.answer('h1', 1, lookUp)).toMatchObject({ keyId: 'key_1' })
    expect(pending).toHaveLength(2)
  })

  it('gives every waiter the lookup’s error, caches nothing, and looks up again next time', async () => {
    const cache = new AuthCache()
    const { lookUp, pending } = gatedLookUp()
    const answers = [cache.answer('h', 0, lookUp), cache.answer('h', 0, lookUp)]
    pending[0]?.reject(new Error('database down'))
    for (const answer of answers) await expect(answer).rejects.toThrow('database down')
    expect(cache.get('h', 0)).toBeUndefined()
    void cache.answer('h', 0, lookUp)
    expect(pending).toHaveLength(2)
  })

  it('keeps out of the cache what a lookup read before its project changed, and starts a new one for later requests', async () => {
    const cache = new AuthCache()
    const { lookUp, pending } = gatedLookUp()
    const early = cache.answer('h', 0, lookUp)
    cache.forgetProject('proj_a')
    const late = cache.answer('h', 0, lookUp)
    expect(pending).toHaveLength(2)
    pending[0]?.resolve(principal('proj_a'))
    expect(await early).toMatchObject({ keyId: 'key_1' })
    expect(cache.get('h', 0)).toBeUndefined()
    pending[1]?.resolve(null)
    expect(await late).toBeNull()
    expect(cache.get('h', 0)).toBeNull()
  })
})

describe('AuthCache bounds', () => {
  it('drops the least recently used known key, a hit on the newest moving nothing', () => {
    const cache = new AuthCache({ maxKnown: 2 })
    cache.set('a', principal('proj_a'), 0)
    cache.set('b', principal('proj_b'), 0)
    expect(cache.get('b', 1)).toBeTruthy() // already the newest
    expect(cache.get('a', 1)).toBeTruthy() // now the newest; b the oldest
    expect(cache.get('a', 1)).toBeTruthy()
    cache.set('c', principal('proj_c'), 1)
    expect(cache.get('b', 1)).toBeUndefined()
    expect(cache.get('a', 1)?.project.id).toBe('proj_a')
    expect(cache.get('c', 1)?.project.id).toBe('proj_c')
    // c was forgotten while newest: a hit on a afterwards still moves it, so d drops nothing used.
    cache.forgetProject('proj_c')
    cache.get('a', 1)
    cache.set('d', principal('proj_d'), 1)
    cache.set('e', principal('proj_e'), 1)
    expect(cache.get('a', 1)).toBeUndefined()
    expect(cache.get('d', 1)?.project.id).toBe('proj_d')
    expect(cache.get('e', 1)?.project.id).toBe('proj_e')
  })
})
