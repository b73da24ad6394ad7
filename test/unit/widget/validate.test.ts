import { describe, expect, it } from 'vitest'
import { brandOf, candidateBrands, checkExpiryDate, cvcLengthFor, luhnCheckDigit, luhnValid } from '../../../common/card-rules.js'
import { parseExpiry, validateCvc, validateExpiry, validateName, validateNumber } from '../../../widget/frame/validate.js'

const NOW = new Date('2026-11-23T12:00:00Z')
const typing = { valid: false, potentiallyValid: true }
const ok = { valid: true, potentiallyValid: true }
const fails = (error: string) => ({ valid: false, potentiallyValid: false, error })

describe('Luhn', () => {
  it.each(['4242424242424242', '378282246310005', '6011111111111117', '3566002020360505', '2223003122003222', '0'])('accepts %s', (n) => {
    expect(luhnValid(n)).toBe(true)
  })
  it.each(['4242424242424241', '1234567812345678', '', '4242 4242', 'abc'])('refuses %j', (n) => {
    expect(luhnValid(n)).toBe(false)
  })
  it('computes the check digit that completes a number', () => {
    expect(luhnCheckDigit('424242424242424')).toBe('2')
  })
})

describe('brands', () => {
  it.each([
    ['4242424242424242', 'visa', 3],
    ['5555555555554444', 'mastercard', 3],
    ['2223003122003222', 'mastercard', 3],
    ['378282246310005', 'american-express', 4],
    ['6011111111111117', 'discover', 3],
    ['3566002020360505', 'jcb', 3],
  ] as const)('knows %s as %s with a %i-digit CVC', (number, brand, cvc) => {
    expect(brandOf(number).brand).toBe(brand)
    expect(cvcLengthFor(brand)).toBe(cvc)
  })

  it('stays unknown while a prefix fits several brands, or none', () => {
    expect(candidateBrands('4').length).toBeGreaterThan(1)
    expect(brandOf('4').brand).toBe('unknown')
    expect(brandOf('').brand).toBe('unknown')
    expect(brandOf('1234').brand).toBe('unknown')
  })
})

describe('validateNumber', () => {
  it('is quiet while the number can still become valid', () => {
    expect(validateNumber('')).toEqual(typing)
    expect(validateNumber('4242')).toEqual(typing)
    // 16 digits failing Luhn could still be a 19-digit Visa.
    expect(validateNumber('4242424242424241')).toEqual(typing)
  })
  it('accepts complete numbers of each brand', () => {
    expect(validateNumber('4242424242424242')).toEqual(ok)
    expect(validateNumber('378282246310005', { complete: true })).toEqual(ok)
  })
  it('fails at once when no more digits can help', () => {
    expect(validateNumber('42424242424242424242')).toEqual(fails('invalid_number'))
    expect(validateNumber('37828224631000x')).toEqual(fails('invalid_number'))
  })
  it('names what is wrong once the customer is done', () => {
    expect(validateNumber('', { complete: true })).toEqual(fails('incomplete_number'))
    expect(validateNumber('4242', { complete: true })).toEqual(fails('incomplete_number'))
    expect(validateNumber('4242424242424241', { complete: true })).toEqual(fails('invalid_number'))
  })
})

describe('expiry', () => {
  it.each([
    ['1230', { month: 12, year: 2030 }],
    ['12/30', { month: 12, year: 2030 }],
    ['12 / 30', { month: 12, year: 2030 }],
    ['1/30', { month: 1, year: 2030 }],
    ['12/2030', { month: 12, year: 2030 }],
    ['125', null],
    ['12 / ', null],
    ['', null],
  ])('parses %j as %j', (input, expected) => {
    expect(parseExpiry(input)).toEqual(expected)
  })

  it('is quiet mid-typing and fails bad months at once', () => {
    expect(validateExpiry('1', NOW)).toEqual(typing)
    expect(validateExpiry('12 / ', NOW)).toEqual(typing)
    expect(validateExpiry('12 / 3', NOW)).toEqual(typing)
    expect(validateExpiry('13', NOW)).toEqual(fails('invalid_expiry'))
    expect(validateExpiry('00 / ', NOW)).toEqual(fails('invalid_expiry'))
    // What the field shows after "13" and "1320" are typed (format.ts keeps the month as typed).
    expect(validateExpiry('13 / ', NOW)).toEqual(fails('invalid_expiry'))
    expect(validateExpiry('13 / 2', NOW)).toEqual(fails('invalid_expiry'))
    expect(validateExpiry('13 / 20', NOW)).toEqual(fails('invalid_expiry'))
    expect(validateExpiry('ab', NOW)).toEqual(fails('invalid_expiry'))
  })

  it('accepts this month and refuses last month', () => {
    expect(validateExpiry('11 / 26', NOW)).toEqual(ok)
    expect(validateExpiry('10 / 26', NOW)).toEqual(fails('expired_card'))
    expect(validateExpiry('01 / 20', NOW)).toEqual(fails('expired_card'))
  })

  it('refuses an expiry more than twenty years ahead', () => {
    expect(validateExpiry('11 / 46', NOW)).toEqual(ok)
    expect(validateExpiry('12 / 46', NOW)).toEqual(fails('expiry_too_far'))
  })

  it('names an incomplete expiry once the customer is done', () => {
    expect(validateExpiry('', NOW, { complete: true })).toEqual(fails('incomplete_expiry'))
    expect(validateExpiry('1', NOW, { complete: true })).toEqual(fails('incomplete_expiry'))
    expect(validateExpiry('12 / 3', NOW, { complete: true })).toEqual(fails('incomplete_expiry'))
  })

  it('checks month and year numbers the vault receives', () => {
    expect(checkExpiryDate(0, 2030, NOW)).toEqual(fails('invalid_expiry'))
    expect(checkExpiryDate(12, 2030, NOW)).toEqual(ok)
  })
})

describe('validateCvc', () => {
  it('wants the length of the brand', () => {
    expect(validateCvc('123', 'visa')).toEqual(ok)
    expect(validateCvc('1234', 'visa')).toEqual(fails('invalid_cvc'))
    expect(validateCvc('123', 'american-express')).toEqual(typing)
    expect(validateCvc('123', 'american-express', { complete: true })).toEqual(fails('incomplete_cvc'))
    expect(validateCvc('1234', 'american-express')).toEqual(ok)
  })
  it('takes three or four digits while the brand is unknown', () => {
    expect(validateCvc('123', 'unknown')).toEqual(ok)
    expect(validateCvc('1234', 'unknown')).toEqual(ok)
    expect(validateCvc('12', 'unknown')).toEqual(typing)
    expect(validateCvc('12', 'unknown', { complete: true })).toEqual(fails('incomplete_cvc'))
    expect(validateCvc('12345', 'unknown')).toEqual(fails('invalid_cvc'))
  })
  it('refuses non-digits', () => {
    expect(validateCvc('12a', 'visa')).toEqual(fails('invalid_cvc'))
  })
})

describe('validateName', () => {
  it('takes up to 64 characters without control characters', () => {
    expect(validateName('Ștefan Popescu')).toEqual(ok)
    expect(validateName('x'.repeat(65))).toEqual(fails('invalid_name'))
    expect(validateName('a\nb')).toEqual(fails('invalid_name'))
  })
})
