import { describe, expect, it } from 'vitest'
import { emptyValues, evaluate, publicState, validationMessage, type CardValues, type Progress } from '../../../widget/frame/card-state.js'
import { en } from '../../../widget/frame/i18n/en.js'
import { ro } from '../../../widget/frame/i18n/ro.js'
import type { Field } from '../../../widget/protocol.js'

const NOW = new Date('2026-11-23T12:00:00Z')
const fresh = (overrides: Partial<Progress> = {}): Progress => ({ touched: new Set<Field>(), submitted: false, serviceErrors: {}, ...overrides })
const values = (v: Partial<CardValues>): CardValues => ({ ...emptyValues(), ...v })
const GOOD = values({ number: '4242 4242 4242 4242', expiry: '12 / 30', cvc: '123' })

describe('what the card form shows', () => {
  it('shows nothing while the customer is still typing', () => {
    const e = evaluate(values({ number: '4242 42', expiry: '1', cvc: '1' }), fresh(), NOW)
    expect(e.shown).toEqual({})
    expect(e.complete).toBe(false)
    expect(e.firstInvalid).toBe('number')
  })

  it('shows an error at once when the value cannot become valid', () => {
    const e = evaluate(values({ number: '4242 4242 4242 4242', expiry: '01 / 20', cvc: '1234' }), fresh(), NOW)
    expect(e.shown).toEqual({ expiry: 'expired_card', cvc: 'invalid_cvc' })
  })

  it('shows an incomplete field once the customer has left it', () => {
    const e = evaluate(values({ number: '4242 4242', cvc: '12' }), fresh({ touched: new Set<Field>(['number', 'cvc']) }), NOW)
    expect(e.shown).toEqual({ number: 'incomplete_number', cvc: 'incomplete_cvc' })
  })

  it('shows a bad Luhn on a full-length number once the field is left', () => {
    const v = values({ number: '4242 4242 4242 4241' })
    expect(evaluate(v, fresh(), NOW).shown).toEqual({})
    expect(evaluate(v, fresh({ touched: new Set<Field>(['number']) }), NOW).shown).toEqual({ number: 'invalid_number' })
  })

  it('does not flag a field left empty until a tokenize is attempted', () => {
    expect(evaluate(emptyValues(), fresh({ touched: new Set<Field>(['number']) }), NOW).shown).toEqual({})
    expect(evaluate(emptyValues(), fresh({ submitted: true }), NOW).shown).toEqual({
      number: 'incomplete_number',
      expiry: 'incomplete_expiry',
      cvc: 'incomplete_cvc',
    })
  })

  it('is complete without a name, and with one', () => {
    expect(evaluate(GOOD, fresh(), NOW)).toMatchObject({ complete: true, empty: false, brand: 'visa', firstInvalid: null })
    expect(evaluate({ ...GOOD, name: 'Ana Pop' }, fresh(), NOW).complete).toBe(true)
  })

  it('keeps a vault error on its field and counts the card as incomplete', () => {
    const e = evaluate(GOOD, fresh({ serviceErrors: { number: 'test_card_required' } }), NOW)
    expect(e.shown).toEqual({ number: 'test_card_required' })
    expect(e.complete).toBe(false)
  })

  it('checks the CVC length against the brand of the number', () => {
    const amex = values({ number: '3782 822463 10005', expiry: '12 / 30', cvc: '123' })
    expect(evaluate(amex, fresh({ submitted: true }), NOW).shown).toEqual({ cvc: 'incomplete_cvc' })
  })
})

describe('the state reported to the host page', () => {
  it('carries brand, flags and localised error texts, never the digits', () => {
    const e = evaluate(values({ number: '4242 4242 4242 4241', expiry: '01 / 20', cvc: '987' }), fresh({ touched: new Set<Field>(['number']) }), NOW)
    const state = publicState(e, en)
    expect(state).toEqual({
      complete: false,
      empty: false,
      brand: 'visa',
      savedCard: false,
      errors: {
        number: { code: 'invalid_number', message: 'Your card number is invalid.' },
        expiry: { code: 'expired_card', message: 'Your card has expired.' },
      },
    })
    expect(JSON.stringify(state)).not.toMatch(/4241|987/)
    expect(publicState(e, ro).errors.number?.message).toBe('Numărul cardului nu este valid.')
  })

  it('gives the element a validation message for each situation', () => {
    const message = (v: CardValues, p = fresh()) => validationMessage(publicState(evaluate(v, p, NOW), en), en)
    expect(message(emptyValues())).toBe('Enter your card details.')
    expect(message(values({ number: '4242' }))).toBe('Your card details are incomplete.')
    expect(message(values({ expiry: '01 / 20' }))).toBe('Your card has expired.')
    expect(message(GOOD)).toBe('Your card has not been saved yet.')
  })
})

describe('languages', () => {
  it('has every English text in Romanian too', () => {
    const keys = (o: object): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v).map((s) => `${k}.${s}`) : [k]))
    expect(keys(ro).sort()).toEqual(keys(en).sort())
    expect(ro.saved.describe('Visa', '4242', '12/30')).toBe('Visa terminat în 4242, expiră la 12/30')
  })
})
