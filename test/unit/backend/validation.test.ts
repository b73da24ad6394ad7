// parseInput's error messages: they say what was expected, from a check's own message too, and
// never echo the value sent (it could be card data).
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { InvalidRequestError } from '../../../backend/errors.js'
import { currency } from '../../../backend/http/payments.js'
import { updateBody } from '../../../backend/http/tokens.js'
import { parseInput } from '../../../backend/http/validation.js'

function refusal(schema: v.GenericSchema, input: unknown): { code: string; message: string; param?: string | undefined } {
  try {
    parseInput(schema, input)
  } catch (error) {
    if (error instanceof InvalidRequestError) return { code: error.code, message: error.message, param: error.param }
    throw error
  }
  throw new Error('accepted')
}

describe('parseInput', () => {
  it("names a whole-body check's expectation instead of 'The request is invalid.'", () => {
    expect(refusal(updateBody, { card: 'x.y.z', exp_month: 1, exp_year: 2030 })).toEqual({ code: 'parameter_invalid', message: 'Invalid request: expected either card or exp_month/exp_year/name.', param: undefined })
    expect(refusal(updateBody, { exp_month: 1 }).message).toBe('Invalid request: expected exp_month and exp_year together.')
    expect(refusal(updateBody, {}).message).toBe('Invalid request: expected at least one field to change.')
  })

  it("names a field check's expectation instead of 'not allowed', without the value", () => {
    expect(refusal(v.object({ currency }), { currency: 'XYZ' })).toEqual({ code: 'parameter_invalid', message: "Invalid value for 'currency': expected an ISO 4217 currency code.", param: 'currency' })
  })

  it("never shows valibot's default check message, which holds the value", () => {
    const secretish = v.object({ n: v.pipe(v.string(), v.check((s) => s.length < 3)) })
    const { message } = refusal(secretish, { n: '4242424242424242' })
    expect(message).toBe("Invalid value for 'n': not allowed.")
    expect(message).not.toContain('4242')
  })
})
