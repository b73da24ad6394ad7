import { describe, expect, it } from 'vitest'
import { CardNumber } from '../../../backend/crypto/secret.js'
import { basicChecks } from '../../../backend/verification/basic.js'
import { DOCUMENTED_TEST_CARDS } from '../../../common/test-cards.js'
import { brandOf } from '../../../common/card-rules.js'
import { cvcLengthFor } from '../../../common/card-rules.js'

describe('documented test cards', () => {
  it('include the cards DESIGN.md names', () => {
    for (const n of ['4242424242424242', '4111111111111111', '4314220000000056', '5555555555554444', '2223003122003222', '378282246310005', '6011111111111117', '3566002020360505']) {
      expect(DOCUMENTED_TEST_CARDS).toContain(n)
    }
  })

  it('each pass basic verification with a CVC of their brand', () => {
    const now = new Date()
    for (const n of DOCUMENTED_TEST_CARDS) {
      const brand = brandOf(n).brand
      expect(brand, n).not.toBe('unknown')
      expect(() => basicChecks({ number: CardNumber.of(n), expMonth: 12, expYear: now.getUTCFullYear() + 1, cvc: '1234'.slice(0, cvcLengthFor(brand)) }, now)).not.toThrow()
    }
  })
})
