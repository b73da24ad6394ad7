// Focus that survives the race with the browser's own focus moves (BROWSER.md, "Focus
// forwarding that holds"): the host focuses the iframe and asks for a field over the port;
// for a second after that the frame re-applies the field whenever its window gains focus.
//
// The hold exists only for that race, so it ends the moment the shopper acts: a pointer press or
// a key inside the frame (they chose a field themselves), or the frame's window losing focus
// (they went elsewhere, and coming back by clicking the CVC must land in the CVC).
import type { Field } from '../protocol.js'

const HOLD_MS = 1_000

export interface FocusKeeper {
  request(field: Field): void
}

export function keepFocus(inputs: Record<Field, HTMLInputElement>, fallback: () => Field, now = () => Date.now()): FocusKeeper {
  let requested: { field: Field; until: number } | null = null
  const holding = () => requested !== null && now() < requested.until
  const apply = () => holding() && requested && inputs[requested.field].focus()
  const release = () => (requested = null)

  // Capture phase: these run before the browser moves focus to what was pressed.
  window.addEventListener('pointerdown', release, true)
  window.addEventListener('mousedown', release, true)
  window.addEventListener('keydown', release, true)
  window.addEventListener('blur', release)

  window.addEventListener('focus', () => {
    if (holding()) {
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
