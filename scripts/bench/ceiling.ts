// The in-process ceiling: the same tokenize work (JWE decrypt, checks, fingerprint, seal,
// insert) called in a loop without HTTP, serially and with requests in flight.
import type { Principal } from '../../backend/projects/project.js'
import type { Vault } from '../../backend/vault.js'

export interface CeilingResult {
  inFlight: number
  perSecond: number
}

export async function tokenizeCeiling(vault: Vault, principal: Principal, jwes: string[], inFlight: number): Promise<CeilingResult> {
  let next = 0
  const started = performance.now()
  const worker = async () => {
    while (next < jwes.length) {
      const card = jwes[next++] as string
      await vault.tokenizer.tokenize(principal, { card }, { kind: 'system', job: 'bench' })
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  const seconds = (performance.now() - started) / 1000
  return { inFlight, perSecond: Math.round(jwes.length / seconds) }
}
