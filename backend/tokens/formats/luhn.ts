// `luhn`: 16 digits starting with 9 that pass Luhn (so they fit PAN-shaped columns) and that
// the card brand table matches to no brand (9792 is Troy: such values are drawn again).
import crypto from 'node:crypto'
import { isKnownBrand } from '../../../common/card-rules.js'
import { luhnCheckDigit } from '../../../common/card-rules.js'
import type { TokenFormat } from './format.js'

export const LUHN_TOKEN_LENGTH = 16

export function randomDigits(count: number): string {
  let out = ''
  for (let i = 0; i < count; i++) out += crypto.randomInt(10)
  return out
}

export const luhnFormat: TokenFormat = {
  name: 'luhn',
  deterministic: false,
  supplied: false,
  generate() {
    for (;;) {
      const partial = '9' + randomDigits(LUHN_TOKEN_LENGTH - 2)
      const value = partial + luhnCheckDigit(partial)
      if (!isKnownBrand(value)) return value
    }
  },
}
