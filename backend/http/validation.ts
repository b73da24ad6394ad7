// Checks request input against a valibot schema at the edge; the error names the field
// and never echoes the value (it could be card data).
import * as v from 'valibot'
import { InvalidRequestError } from '../errors.js'
import { looksLikeCardNumber } from '../tokens/formats/merchant.js'

export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input)
  if (result.success) return result.output
  const issue = result.issues[0]
  const param = v.getDotPath(issue) ?? undefined
  if (issue.kind === 'schema' && issue.type === 'strict_object' && issue.input !== undefined && param) {
    throw new InvalidRequestError('parameter_unknown', `Unknown parameter '${param}'.`, param)
  }
  if (issue.input === undefined && param) throw new InvalidRequestError('parameter_missing', `Missing required parameter '${param}'.`, param)
  // A check's own message says what it expects ('exp_month and exp_year together'); valibot's
  // default ones ('Invalid input: Received …') would echo the value, so they are never shown.
  const expected = issue.type === 'check' && !issue.message.startsWith('Invalid ') ? issue.message : issue.expected
  const what = expected ? `expected ${expected}` : 'not allowed'
  throw new InvalidRequestError('parameter_invalid', param ? `Invalid value for '${param}': ${what}.` : `Invalid request: ${what}.`, param)
}

/** Identifiers the merchant chooses (customer ids): printable, short, no card-number runs. */
export const identifier = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[\x21-\x7e]+$/), v.check((s) => !looksLikeCardNumber(s), 'an identifier that is not a card number'))

export const jweString = v.pipe(v.string(), v.minLength(1), v.maxLength(15_000))

export const isoDateTime = v.pipe(v.string(), v.isoTimestamp())
