// The DOM events <tessera-card> fires, built in one place: they bubble and are composed, so a
// listener on the document or outside an enclosing shadow root hears them. No detail carries digits.
import type { CardState, ErrorPayload, Field } from '../protocol.js'
import type { NextActionResult } from '../three-d-secure/messages.js'

export interface TesseraReadyDetail {
  /** How many saved cards the frame lists (0 without a customer session). */
  savedCards: number
}

/** complete, empty, brand, savedCard and the error shown under each field (code + localised text). */
export type TesseraChangeDetail = CardState

export interface TesseraFocusDetail {
  field: Field
}

export type TesseraErrorDetail = ErrorPayload

/** The payment's status once 3-D Secure ended, and its decline code when declined. */
export type TesseraNextActionDetail = NextActionResult

export interface TesseraCardEventMap {
  'tessera-ready': CustomEvent<TesseraReadyDetail>
  'tessera-change': CustomEvent<TesseraChangeDetail>
  'tessera-focus': CustomEvent<TesseraFocusDetail>
  'tessera-blur': CustomEvent<TesseraFocusDetail>
  'tessera-error': CustomEvent<TesseraErrorDetail>
  /** handleNextAction() ended with the payment's final status (3-D Secure). */
  'tessera-next-action': CustomEvent<TesseraNextActionDetail>
}

type DetailOf<K extends keyof TesseraCardEventMap> = TesseraCardEventMap[K] extends CustomEvent<infer D> ? D : never

export function emit<K extends keyof TesseraCardEventMap>(target: EventTarget, type: K, detail: DetailOf<K>): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }))
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends TesseraCardEventMap {}
}
