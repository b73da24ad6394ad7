import crypto from 'node:crypto'
import creditCardType from 'credit-card-type'
import { describe, expect, it } from 'vitest'
import { CardNumber, SecretBytes } from '../../../backend/crypto/secret.js'
import { tokenFormats } from '../../../backend/tokens/formats/index.js'
import { looksLikeCardNumber } from '../../../backend/tokens/formats/merchant.js'
import { luhnValid } from '../../../common/card-rules.js'

const key = new SecretBytes(crypto.randomBytes(32))
const input = (number: string, extra = {}) => ({ number: CardNumber.of(number), expMonth: 4, expYear: 2031, tokenKey: key, ...extra })

describe('token formats (unit)', () => {
  it('luhn never draws a value the brand table recognises, over many draws', () => {
    for (let i = 0; i < 2000; i++) {
      const v = tokenFormats.luhn.generate(input('4242424242424242'))
      expect(v).toMatch(/^9\d{15}$/)
      expect(luhnValid(v)).toBe(true)
      expect(creditCardType(v)).toEqual([])
    }
  })

  it('preserve-6.4 fails Luhn for every length from 12 to 19, over many draws', () => {
    for (let length = 12; length <= 19; length++) {
      const number = '4' + '0'.repeat(length - 2) + '0'
      for (let i = 0; i < 300; i++) {
        const v = tokenFormats['preserve-6.4'].generate(input(number))
        expect(v).toHaveLength(length)
        expect(luhnValid(v)).toBe(false)
        expect(v.slice(0, 6) + v.slice(-4)).toBe(number.slice(0, 6) + number.slice(-4))
      }
    }
  })

  it('deterministic depends on the key, the number and the expiry only', () => {
    const a = tokenFormats.deterministic.generate(input('4242424242424242'))
    expect(tokenFormats.deterministic.generate(input('4242424242424242'))).toBe(a)
    expect(tokenFormats.deterministic.generate(input('4242424242424242', { expMonth: 5 }))).not.toBe(a)
    expect(tokenFormats.deterministic.generate(input('4242424242424242', { tokenKey: new SecretBytes(crypto.randomBytes(32)) }))).not.toBe(a)
    expect(a).toMatch(/^01[0-9a-f]{64}$/)
  })

  it('recognises card-like merchant tokens with separators', () => {
    expect(looksLikeCardNumber('4242-4242-4242-4242')).toBe(true)
    expect(looksLikeCardNumber('4242.4242.4242.4242')).toBe(true)
    expect(looksLikeCardNumber('4242424242424241')).toBe(false)
    expect(looksLikeCardNumber('order-4242424242424242x')).toBe(false)
  })
})
