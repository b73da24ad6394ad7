// One tokenize: encrypt the card for the vault's active key and create the token, fetching the
// JWKS again once if the vault says the key is no longer one it holds (rotation).
import { buildPayload, encryptCard } from './encrypt.js'
import type { CardValues } from './card-state.js'
import { VaultError, type SavedCard, type VaultClient } from './vault-client.js'

export interface TokenizeDeps {
  client: Pick<VaultClient, 'encryptionKey' | 'createToken'>
  now(): Date
  /** A fresh JWE id per request: the vault refuses replays. */
  newJti(): string
}

/** `customerSession`: the session the host configured, whose customer (or token value) the vault uses. */
export async function tokenizeCard(deps: TokenizeDeps, values: CardValues, customerSession: string | null): Promise<SavedCard> {
  for (let attempt = 0; ; attempt++) {
    const key = await deps.client.encryptionKey(attempt > 0)
    const jwe = await encryptCard(buildPayload(values, deps.now(), deps.newJti()), key)
    try {
      return await deps.client.createToken(jwe, customerSession)
    } catch (error) {
      const retry = attempt === 0 && error instanceof VaultError && error.payload.code === 'invalid_card_encryption'
      if (!retry) throw error
    }
  }
}
