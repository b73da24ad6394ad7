// `preserve-6.4`: keeps the card's first six and last four digits, draws the middle, and
// makes the whole fail Luhn so the token is never a valid card number.
import { luhnValid } from '../../../common/card-rules.js'
import type { TokenFormat } from './format.js'
import { randomDigits } from './luhn.js'

export const preserve64Format: TokenFormat = {
  name: 'preserve-6.4',
  deterministic: false,
  supplied: false,
  generate({ number }) {
    const digits = number.reveal()
    const middleLength = digits.length - 10
    const middle = randomDigits(middleLength)
    let value = digits.slice(0, 6) + middle + digits.slice(-4)
    if (luhnValid(value)) {
      // Raising one digit by 1 changes the Luhn sum by a non-zero amount mod 10, doubled or not: now it fails.
      const at = 6 + middleLength - 1
      const bumped = String((Number(value[at]) + 1) % 10)
      value = value.slice(0, at) + bumped + value.slice(at + 1)
    }
    return value
  },
}
