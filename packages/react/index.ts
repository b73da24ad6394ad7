// @tessera/react: <TesseraCard> for React, made with @lit/react, with typed event props. The
// element itself comes from the vault: call loadTessera({vaultUrl}) from @tessera/card first.
import { createComponent, type EventName } from '@lit/react'
import * as React from 'react'
import type { TesseraCard as TesseraCardElement, TesseraChangeDetail, TesseraErrorDetail, TesseraFocusDetail, TesseraNextActionDetail, TesseraReadyDetail } from '@tessera/card'

export type { TesseraCardElement }

/** The element's properties React sets as properties (not attributes): a rename is a compile error. */
const PROPERTIES = ['publishableKey', 'locale', 'customerSession', 'disabled', 'name'] as const satisfies readonly (keyof TesseraCardElement)[]

// @lit/react only reads which names are properties from the class's prototype; the real class
// is the vault's, defined when its loader runs (possibly after this module). Lit keeps values
// set on the element before it is upgraded.
const Base = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement
class TesseraCardShape extends Base {}
for (const name of PROPERTIES) Object.defineProperty(TesseraCardShape.prototype, name, { configurable: true, enumerable: true, get: () => undefined, set: () => undefined })

export const TesseraCard = createComponent({
  tagName: 'tessera-card',
  elementClass: TesseraCardShape as unknown as typeof TesseraCardElement,
  react: React,
  events: {
    onReady: 'tessera-ready' as EventName<CustomEvent<TesseraReadyDetail>>,
    onChange: 'tessera-change' as EventName<CustomEvent<TesseraChangeDetail>>,
    onFocus: 'tessera-focus' as EventName<CustomEvent<TesseraFocusDetail>>,
    onBlur: 'tessera-blur' as EventName<CustomEvent<TesseraFocusDetail>>,
    onError: 'tessera-error' as EventName<CustomEvent<TesseraErrorDetail>>,
    onNextAction: 'tessera-next-action' as EventName<CustomEvent<TesseraNextActionDetail>>,
  },
  displayName: 'TesseraCard',
})
