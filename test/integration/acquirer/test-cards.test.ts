// The sandbox's test cards are real-looking Visa numbers the vault's basic checks accept, and
// docs/acquirer.md documents every one of them.
import fs from 'node:fs'
import path from 'node:path'
import creditCardType from 'credit-card-type'
import { describe, expect, it } from 'vitest'
import { basicChecks } from '../../../backend/verification/basic.js'
import { CardNumber } from '../../../backend/crypto/secret.js'
import { REPLACEMENT_CARD_NUMBER, SANDBOX_TEST_CARDS } from '../../../demo/acquirer/test-cards.js'
import { luhnValid } from '../../../common/card-rules.js'

const docs = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/acquirer.md'), 'utf8')

describe('SANDBOX_TEST_CARDS', () => {
  it.each(SANDBOX_TEST_CARDS.map((card) => [card.number, card]))('%s is Luhn-valid, of its brand for credit-card-type, and passes basic checks', (number, card) => {
    expect(luhnValid(number)).toBe(true)
    const types = creditCardType(number)
    expect(types.map((t) => t.type)).toEqual([card.brand])
    expect(types[0]?.lengths).toContain(number.length)
    expect(() => basicChecks({ number: CardNumber.of(number), expMonth: 12, expYear: 2040, cvc: '123' }, new Date())).not.toThrow()
  })

  it('has one entry per number, covering every behaviour', () => {
    expect(new Set(SANDBOX_TEST_CARDS.map((c) => c.number)).size).toBe(SANDBOX_TEST_CARDS.length)
    expect(new Set(SANDBOX_TEST_CARDS.map((c) => c.behaviour))).toEqual(
      new Set(['approve', 'insufficient_funds', 'do_not_honor', 'expired_card', 'incorrect_cvc', 'processing_error', 'hang', 'update_new_expiry', 'update_new_number', 'update_closed', 'three_d_secure_challenge', 'three_d_secure_frictionless', 'three_d_secure_failed', 'three_d_secure_unavailable', 'payout_not_supported']),
    )
    expect(SANDBOX_TEST_CARDS.some((c) => c.number === REPLACEMENT_CARD_NUMBER)).toBe(true)
  })

  it.each(SANDBOX_TEST_CARDS.map((card) => [card.number, card.behaviour]))('docs/acquirer.md has a table row for %s as %s', (number, behaviour) => {
    expect(docs).toMatch(new RegExp(`^\\| ${number} \\| \`${behaviour}\` \\|`, 'm'))
  })
})
