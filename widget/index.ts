// The loader (GET /v1/tessera.js): defines <tessera-card> and lists what frontend code may use.
// It imports nothing from widget/frame/: the card frame and its crypto stay on the vault's origin.
import { TesseraCard } from './element/tessera-card.js'

export { TesseraCard } from './element/tessera-card.js'
export { TesseraElementError } from './element/errors.js'
export { STYLE_PROPERTIES, PROTOCOL_VERSION } from './protocol.js'

export type { NextAction, NextActionResult, TokenizeOptions, TokenizeResult } from './element/tessera-card.js'
export type {
  TesseraCardEventMap,
  TesseraChangeDetail,
  TesseraErrorDetail,
  TesseraFocusDetail,
  TesseraNextActionDetail,
  TesseraReadyDetail,
} from './element/events.js'
export type { CardState, ErrorPayload, Field, FieldError, Locale, MaskedCard, StyleProperty } from './protocol.js'

// Loading the script twice (two tags, two bundles) must not throw.
if (!customElements.get('tessera-card')) customElements.define('tessera-card', TesseraCard)
