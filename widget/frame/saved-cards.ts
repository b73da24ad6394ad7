// A customer's saved cards as a radio group above the card form: brand, last four and expiry,
// plus "use a new card". Choosing a saved card hides the inputs and makes tokenize one click.
import type { Messages } from './i18n/index.js'
import type { SavedCard } from './vault-client.js'
import { brandMark, brandName } from './brand-icon.js'

export interface SavedCardsView {
  element: HTMLFieldSetElement
  count: number
  /** The chosen saved card, or null for "use a new card". */
  selected(): SavedCard | null
  setDisabled(disabled: boolean): void
  /** Puts another language's texts on the legend and the options. */
  relabel(messages: Messages): void
}

const expiryText = (card: SavedCard['card']) => `${String(card.exp_month).padStart(2, '0')}/${String(card.exp_year % 100).padStart(2, '0')}`

function option(value: string, text: Text, checked: boolean, brand?: string): HTMLLabelElement {
  const label = document.createElement('label')
  label.className = 'saved-option'
  const radio = document.createElement('input')
  radio.type = 'radio'
  radio.name = 'saved-card'
  radio.value = value
  radio.checked = checked
  label.append(radio)
  if (brand !== undefined) label.append(brandMark(brand))
  label.append(text)
  return label
}

const describeCard = (saved: SavedCard, messages: Messages) => messages.saved.describe(brandName(saved.card.brand), saved.card.last4, expiryText(saved.card))

/** `preselect`: choose the first saved card (else "use a new card" starts chosen). */
export function buildSavedCards(cards: SavedCard[], messages: Messages, onSelect: (card: SavedCard | null) => void, preselect = true): SavedCardsView {
  const element = document.createElement('fieldset')
  element.className = 'saved'
  const legend = document.createElement('legend')
  const texts = cards.map(() => document.createTextNode(''))
  const newCard = document.createTextNode('')
  const relabel = (m: Messages) => {
    legend.textContent = m.saved.legend
    cards.forEach((saved, index) => ((texts[index] as Text).data = describeCard(saved, m)))
    newCard.data = m.saved.newCard
  }
  relabel(messages)
  element.append(legend, ...cards.map((saved, index) => option(String(index), texts[index] as Text, preselect && index === 0, saved.card.brand)))
  element.append(option('new', newCard, !preselect || cards.length === 0))
  const radios = () => Array.from(element.querySelectorAll<HTMLInputElement>('input[type=radio]'))
  const selected = (): SavedCard | null => {
    const value = radios().find((r) => r.checked)?.value
    return value === undefined || value === 'new' ? null : (cards[Number(value)] ?? null)
  }
  element.addEventListener('change', () => onSelect(selected()))
  return {
    element,
    count: cards.length,
    selected,
    setDisabled: (disabled) => radios().forEach((r) => (r.disabled = disabled)),
    relabel,
  }
}
