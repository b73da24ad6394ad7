// The chosen saved card's CVC, asked only when the project requires it
// (require_cvc_for_saved_cards): one labelled input under the saved cards, shown while a saved
// card is chosen. What is typed stays in the frame; it leaves only inside a JWE for the vault.
import type { CardErrorCode } from './validate.js'
import { validateCvc } from './validate.js'
import type { Brand } from '../../common/card-rules.js'
import type { Messages } from './i18n/index.js'
import type { SavedCard } from './vault-client.js'
import { brandName } from './brand-icon.js'
import { showFieldError, type FieldView } from './fields.js'

export interface SavedCvcView extends FieldView {
  element: HTMLElement
  /** Shows the input for `card` (or hides it for "use a new card"), emptied. */
  show(card: SavedCard | null, messages: Messages): void
  /** The digits if they are a whole CVC for the card's brand, else the error code. */
  check(card: SavedCard, reveal: boolean): { cvc: string } | { code: CardErrorCode | null }
  relabel(card: SavedCard | null, messages: Messages): void
}

export function buildSavedCvc(onInput: () => void): SavedCvcView {
  const element = document.createElement('div')
  element.className = 'field field-saved-cvc'
  const label = document.createElement('label')
  label.className = 'label'
  label.htmlFor = 'saved-cvc'
  const input = document.createElement('input')
  input.className = 'input'
  input.id = 'saved-cvc'
  for (const [name, value] of Object.entries({ type: 'text', autocomplete: 'cc-csc', inputmode: 'numeric', name: 'cvc', spellcheck: 'false', 'aria-invalid': 'false', 'aria-describedby': 'saved-cvc-error' })) input.setAttribute(name, value)
  const error = document.createElement('p')
  error.className = 'error'
  error.id = 'saved-cvc-error'
  error.setAttribute('aria-live', 'polite')
  element.append(label, input, error)
  let messages: Messages | null = null
  // After a tokenize() that found it missing, an incomplete CVC is shown as an error until another card is chosen.
  let revealed = false
  const view: SavedCvcView = {
    element,
    input,
    label,
    error,
    show(card, m) {
      element.hidden = card === null
      input.value = ''
      revealed = false
      showFieldError(view, undefined)
      view.relabel(card, m)
    },
    check(card, reveal) {
      revealed ||= reveal
      const state = validateCvc(input.value, card.card.brand as Brand, { complete: revealed })
      const code = state.error ?? null
      if (revealed || code === 'invalid_cvc') showFieldError(view, code && messages ? messages.errors[code] : undefined)
      else if (state.valid) showFieldError(view, undefined)
      return state.valid ? { cvc: input.value } : { code }
    },
    relabel(card, m) {
      messages = m
      label.textContent = card ? m.saved.cvcFor(brandName(card.card.brand), card.card.last4) : m.labels.cvc
      input.placeholder = m.placeholders.cvc
    },
  }
  input.addEventListener('input', () => {
    // Digits only, at most four: anything else never reaches the state.
    const digits = input.value.replace(/\D/g, '').slice(0, 4)
    if (digits !== input.value) input.value = digits
    onInput()
  })
  return view
}
