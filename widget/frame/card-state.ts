// The card form as data: from the four values and what the customer has done so far, which
// errors to show, whether the card is complete, and the text the element's validity carries.
import type { CardState, ErrorCode, Field, FieldError } from '../protocol.js'
import { FIELDS } from '../protocol.js'
import { brandOf, type Brand } from '../../common/card-rules.js'
import type { Messages } from './i18n/index.js'
import { onlyDigits } from './format.js'
import { validateCvc, validateExpiry, validateName, validateNumber, type FieldState } from './validate.js'

export type CardValues = Record<Field, string>

export interface Progress {
  /** Fields the customer has left at least once: incomplete values show their error from then on. */
  touched: ReadonlySet<Field>
  /** A tokenize was attempted: every field shows its error, empty ones included. */
  submitted: boolean
  /** Errors the vault gave for a field, shown until the customer edits that field. */
  serviceErrors: Partial<Record<Field, ErrorCode>>
}

export interface Evaluation {
  brand: Brand
  complete: boolean
  empty: boolean
  /** The error code shown under each field, if any. */
  shown: Partial<Record<Field, ErrorCode>>
  /** The first field that is not valid yet, in form order. */
  firstInvalid: Field | null
}

export const emptyValues = (): CardValues => ({ number: '', expiry: '', cvc: '', name: '' })

function fieldStates(values: CardValues, brand: Brand, now: Date, complete: boolean): Record<Field, FieldState> {
  return {
    number: validateNumber(onlyDigits(values.number), { complete }),
    expiry: validateExpiry(values.expiry, now, { complete }),
    cvc: validateCvc(values.cvc, brand, { complete }),
    // The name is optional: any value within the vault's limits is complete.
    name: validateName(values.name.trim()),
  }
}

export function evaluate(values: CardValues, progress: Progress, now: Date): Evaluation {
  const brand = brandOf(onlyDigits(values.number)).brand
  const live = fieldStates(values, brand, now, false)
  const final = fieldStates(values, brand, now, true)
  const shown: Partial<Record<Field, ErrorCode>> = {}
  let firstInvalid: Field | null = null
  for (const field of FIELDS) {
    if (!final[field].valid && firstInvalid === null) firstInvalid = field
    const service = progress.serviceErrors[field]
    const revealed = progress.submitted || (progress.touched.has(field) && values[field] !== '')
    // Mid-typing values stay quiet while they can still become valid (potentiallyValid).
    const code = service ?? (live[field].potentiallyValid ? (revealed ? final[field].error : undefined) : live[field].error)
    if (code) shown[field] = code
  }
  return {
    brand,
    complete: firstInvalid === null && Object.keys(progress.serviceErrors).length === 0,
    empty: FIELDS.every((f) => values[f].trim() === ''),
    shown,
    firstInvalid,
  }
}

export function errorText(messages: Messages, code: string): string {
  return (messages.errors as Record<string, string>)[code] ?? messages.errors.unknown_error
}

/** The state the element's `tessera-change` event carries: brand, flags and error texts only. */
export function publicState(evaluation: Evaluation, messages: Messages): CardState {
  const errors: CardState['errors'] = {}
  for (const field of FIELDS) {
    const code = evaluation.shown[field]
    if (code) errors[field] = { code, message: errorText(messages, code) } satisfies FieldError
  }
  return { complete: evaluation.complete, empty: evaluation.empty, brand: evaluation.brand, savedCard: false, errors }
}

/** The element's validation message while it holds no token. */
export function validationMessage(state: CardState, messages: Messages): string {
  if (state.complete) return messages.validity.untokenized
  if (state.empty) return messages.validity.empty
  const first = FIELDS.map((f) => state.errors[f]).find((e) => e !== undefined)
  return first?.message ?? messages.validity.incomplete
}
