// Formatting as the customer types: digits grouped by brand, `MM / YY` expiry, and a caret that
// stays after the same digit it followed before the value was reformatted.
import { brandOf } from '../../common/card-rules.js'

/** An input's value and caret (selectionStart), before or after formatting. */
export interface Edit {
  value: string
  caret: number
}

export const EXPIRY_SEPARATOR = ' / '
const MAX_CVC = 4
export const MAX_NAME = 64

export const onlyDigits = (value: string): string => value.replace(/\D/g, '')

function digitsBefore(value: string, index: number): number {
  return onlyDigits(value.slice(0, Math.max(0, index))).length
}

/** The index just after the n-th digit of a formatted value (0 when n is 0). */
export function caretAfterDigits(formatted: string, n: number): number {
  if (n <= 0) return 0
  let seen = 0
  for (let i = 0; i < formatted.length; i++) {
    if (formatted.charCodeAt(i) >= 48 && formatted.charCodeAt(i) <= 57 && ++seen === n) return i + 1
  }
  return formatted.length
}

/**
 * Digits with a space at each gap position: gaps [4, 8, 12] make `4242 4242 4242 4242`. Groups
 * of four carry on past the table's last gap, so a 19-digit Visa reads `4242 4242 4242 4242 424`.
 */
export function groupDigits(digits: string, gaps: readonly number[]): string {
  const everyFour = gaps.every((gap, i) => gap === 4 * (i + 1))
  let out = ''
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (gaps.includes(i) || (everyFour && i % 4 === 0))) out += ' '
    out += digits[i]
  }
  return out
}

export function formatNumber(edit: Edit): Edit {
  const typed = onlyDigits(edit.value)
  const info = brandOf(typed)
  const digits = typed.slice(0, Math.max(...info.lengths))
  const value = groupDigits(digits, info.gaps)
  const n = Math.min(digitsBefore(edit.value, edit.caret), digits.length)
  return { value, caret: caretAfterDigits(value, n) }
}

/** Splits what was typed or autofilled into month and year digits, padding a lone month digit. */
function expiryParts(value: string): { month: string; year: string; padded: boolean } {
  const slash = value.indexOf('/')
  if (slash >= 0) {
    let month = onlyDigits(value.slice(0, slash)).slice(-2)
    const yearDigits = onlyDigits(value.slice(slash + 1))
    const padded = month.length === 1
    if (padded) month = '0' + month
    // Autofill may give a four-digit year (12/2030): the field shows two.
    const year = yearDigits.length === 4 ? yearDigits.slice(2) : yearDigits.slice(0, 2)
    return { month, year, padded }
  }
  const digits = onlyDigits(value)
  // "4" can only be April, so the month is padded at once. "13" stays "13": it is shown as typed
  // and the validation calls it an invalid month at once (docs/element.md), rather than guessing
  // "01 / 3" and turning "1320" into a valid-looking "01 / 32".
  if (/^[2-9]/.test(digits)) {
    return { month: '0' + digits[0], year: digits.slice(1, 3), padded: true }
  }
  const rest = digits.slice(2)
  const year = rest.length === 4 && rest.startsWith('20') ? rest.slice(2) : rest.slice(0, 2)
  return { month: digits.slice(0, 2), year, padded: false }
}

export function formatExpiry(edit: Edit): Edit {
  const { month, year, padded } = expiryParts(edit.value)
  const value = month.length === 2 ? month + EXPIRY_SEPARATOR + year : month
  if (edit.caret >= edit.value.length) return { value, caret: value.length }
  const n = digitsBefore(edit.value, edit.caret) + (padded ? 1 : 0)
  return { value, caret: caretAfterDigits(value, n) }
}

export function formatCvc(edit: Edit, maxLength = MAX_CVC): Edit {
  const value = onlyDigits(edit.value).slice(0, maxLength)
  return { value, caret: Math.min(digitsBefore(edit.value, edit.caret), value.length) }
}

export function formatName(edit: Edit): Edit {
  // Control characters never belong in a name; the vault refuses more than 64 characters.
  const strip = (text: string) => text.replace(/[\u0000-\u001f\u007f]/g, '')
  const value = strip(edit.value).slice(0, MAX_NAME)
  return { value, caret: Math.min(strip(edit.value.slice(0, edit.caret)).length, value.length) }
}

/**
 * When a delete removed only a separator (a space of the number, the ` / ` of the expiry), the
 * next format would put it straight back and the caret would not move. So the digit on the
 * deleted side goes too, and the result is returned as bare digits for the formatter.
 */
export function applySeparatorDeletion(previous: string, next: Edit, inputType: string): Edit {
  const backward = inputType === 'deleteContentBackward'
  if (!backward && inputType !== 'deleteContentForward') return next
  const digits = onlyDigits(next.value)
  if (digits !== onlyDigits(previous) || next.value.length >= previous.length) return next
  const at = digitsBefore(next.value, next.caret)
  const remove = backward ? at - 1 : at
  if (remove < 0 || remove >= digits.length) return { value: digits, caret: at }
  return { value: digits.slice(0, remove) + digits.slice(remove + 1), caret: remove }
}
