// `random`: 64 hex characters (256 bits) from the CSPRNG.
import crypto from 'node:crypto'
import type { TokenFormat } from './format.js'

export const randomFormat: TokenFormat = {
  name: 'random',
  deterministic: false,
  supplied: false,
  generate: () => crypto.randomBytes(32).toString('hex'),
}
