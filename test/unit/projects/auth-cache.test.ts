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
