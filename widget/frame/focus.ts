// Focus that survives the race with the browser's own focus moves (BROWSER.md, "Focus
// forwarding that holds"): the host focuses the iframe and asks for a field over the port;
// for a second after that the frame re-applies the field whenever its window gains focus.
import type { Field } from '../protocol.js'

const HOLD_MS = 1_000

export interface FocusKeeper {
  request(field: Field): void
}

export function keepFocus(inputs: Record<Field, HTMLInputElement>, fallback: () => Field, now = () => Date.now()): FocusKeeper {
  let requested: { field: Field; until: number } | null = null
  const apply = () => requested && inputs[requested.field].focus()

  window.addEventListener('focus', () => {
    if (requested && now() < requested.until) {
      apply()
      setTimeout(apply, 0)
      return
    }
    // Focus given to the iframe itself (the form's invalid-submit anchor, a click on padding)
    // leaves <body> active inside: move it to the first field that needs the customer.
    setTimeout(() => {
      const active = document.activeElement
      if (active === null || active === document.body) inputs[fallback()].focus()
    }, 0)
  })

  return {
    request(field) {
      requested = { field, until: now() + HOLD_MS }
      apply()
    },
  }
}
