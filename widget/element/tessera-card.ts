// <tessera-card>: owns the card iframe, its channel and the form association. Everything about
// cards (format, validate, encrypt) happens inside the frame, on the vault's origin.
import { html, nothing, type PropertyValues } from 'lit'
import { resolveLocale, type CardState, type ConfigureMessage, type FrameMessage, type Locale } from '../protocol.js'
import { FrameConnection } from './connection.js'
import { readFrameStyle } from './custom-properties.js'
import { customerSessionRequired, frameUnavailable, keyRefused, TesseraElementError } from './errors.js'
import { emit } from './events.js'
import { FormControlElement } from './form-control.js'
import { frameSrc, VAULT_ORIGIN } from './frame-url.js'
import { runNextAction } from './next-action/run.js'
import { cardStyles } from './styles.js'
import { ELEMENT_TEXTS as TEXTS } from './texts.js'
import type { NextAction, NextActionResult, TokenizeOptions, TokenizeResult } from './types.js'

export type { NextAction, NextActionResult, TokenizeOptions, TokenizeResult } from './types.js'

/**
 * A secure card field: number, expiry, CVC and name in an iframe served by the Tessera vault.
 * The --tessera-* custom properties below pass into the frame only when their values are safe
 * (no `url(`, `@import`, `;` or braces).
 *
 * @attr publishable-key - the project's `pk_test_…`/`pk_live_…` key (required)
 * @attr locale - `en`, `ro`, `de`, `fr`, `es`, `it`, `pl` or `nl` (default: the page's `lang`, then the browser's language)
 * @attr layout - `stacked` (default: number, then expiry and CVC, then name) or `row` (number, MM / YY
 *   and CVC on one line, the name below)
 * @attr customer-session - a customer session client secret (made on the merchant's server): lists
 *   that customer's saved cards, and new cards are saved for that customer
 * @attr disabled - disables the inputs
 * @attr name - the form field name under which the token is submitted
 * @fires tessera-ready - the frame is connected and usable; detail `{ savedCards }`
 * @fires tessera-change - detail `{ complete, empty, brand, savedCard, errors }`
 * @fires tessera-focus - a field gained focus; detail `{ field }`
 * @fires tessera-blur - a field lost focus; detail `{ field }`
 * @fires tessera-next-action - handleNextAction() ended; detail `{ status, decline_code? }`
 * @fires tessera-error - the field failed (`frame_unavailable`, saved cards not listed); detail `{ type, code, message }`
 * @csspart frame - the iframe that holds the inputs (size and border only: its content is the vault's)
 * @csspart unavailable - the one localised line shown instead of the field when it cannot start
 * @cssprop --tessera-font-family - font of the inputs
 * @cssprop --tessera-font-size - font size of the inputs
 * @cssprop --tessera-color - input text colour
 * @cssprop --tessera-placeholder-color - placeholder colour
 * @cssprop --tessera-background - background of the inputs
 * @cssprop --tessera-border-color - border colour of the inputs
 * @cssprop --tessera-border-radius - corner radius of the inputs
 * @cssprop --tessera-padding - padding inside the inputs
 * @cssprop --tessera-focus-color - outline of the focused input
 * @cssprop --tessera-invalid-color - border and error text of an invalid input
 */
export class TesseraCard extends FormControlElement {
  static override properties = {
    publishableKey: { attribute: 'publishable-key' },
    locale: {},
    layout: {},
    customerSession: { attribute: 'customer-session' },
    disabled: { type: Boolean, reflect: true },
    name: { reflect: true },
    frameHeight: { state: true },
    unavailable: { state: true },
  }

  static override styles = cardStyles

  /** The project's publishable key (`publishable-key`). */
  declare publishableKey: string | null
  /** `en`, `ro`, `de`, `fr`, `es`, `it`, `pl` or `nl`; default: the page's `lang`, then the browser's language. */
  declare locale: string | null
  /** `stacked` (default) or `row`: number, expiry and CVC on one line. */
  declare layout: string | null
  /** A customer session's client secret (`customer-session`): lists that customer's saved cards. */
  declare customerSession: string | null
  /** Disables the inputs; reflected to the `disabled` attribute. */
  declare disabled: boolean
  /** The form field name the token is submitted under. */
  declare name: string | null
  declare private frameHeight: number | null
  /** The field could not start: it collapses to one localised line (the cause went to tessera-error). */
  declare private unavailable: boolean

  private connection: FrameConnection | null = null
  /** The frame URL rendered: fixed until the key changes. */
  private src: string | null = null
  /** The frame URL the current connection's handshake is for. */
  private connectedFor: string | null = null
  private state: CardState | null = null
  private frameValidationMessage: string | null = null
  private token: string | null = null
  private formDisabled = false

  constructor() {
    super()
    this.publishableKey = null
    this.locale = null
    this.layout = null
    this.customerSession = null
    this.disabled = false
    this.name = null
    this.frameHeight = null
    this.unavailable = false
    // A <label for> click arrives as a click on the element but focuses nothing (BROWSER.md).
    this.addEventListener('click', (event) => event.target === this && this.focus())
  }

  private get resolvedLocale(): Locale {
    return resolveLocale(this.locale || document.documentElement.lang || navigator.language)
  }

  private get iframe(): HTMLIFrameElement | null {
    return this.renderRoot?.querySelector('iframe') ?? null
  }

  override render() {
    const src = this.src
    const texts = TEXTS[this.resolvedLocale]
    if (this.unavailable) return html`<p class="unavailable" role="status" part="unavailable">${texts.unavailable}</p>`
    if (!src) return nothing
    return html`<iframe part="frame" src=${src} title=${texts.title} scrolling="no"></iframe>`
  }

  override connectedCallback(): void {
    super.connectedCallback()
    // Moving the element reloads its iframe, so the handshake starts over.
    if (this.hasUpdated) this.connectFrame(true)
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.disconnectFrame()
  }

  override willUpdate(changed: PropertyValues<this>): void {
    // The frame is reloaded only for a new key; locale and the rest go over the port.
    if (changed.has('publishableKey')) {
      this.src = frameSrc(this.publishableKey, this.resolvedLocale)
      this.unavailable = false
    }
  }

  override updated(changed: PropertyValues<this>): void {
    // Through the CSSOM, not a style attribute, which a strict CSP on the merchant's page would block.
    if (this.frameHeight !== null) this.iframe?.style.setProperty('height', `${this.frameHeight}px`)
    if (changed.has('publishableKey') && !this.src && this.isConnected) this.fail(keyRefused(this.publishableKey))
    this.connectFrame(false)
    if (changed.has('locale') || changed.has('layout') || changed.has('disabled') || changed.has('customerSession')) this.configure()
    this.updateValidity()
  }

  private connectFrame(restart: boolean): void {
    const iframe = this.iframe
    if (!iframe || !this.isConnected) return
    if (this.connection && !restart && this.connectedFor === this.src) return
    this.disconnectFrame()
    const connection = new FrameConnection({ iframe, vaultOrigin: VAULT_ORIGIN, onMessage: (message) => this.receive(message), configuration: () => this.configuration() })
    this.connection = connection
    this.connectedFor = this.src
    // The hello carried the configuration; what changed while the frame answered follows on the port.
    connection.ready.then(
      () => this.configure(),
      (error: TesseraElementError) => this.connection === connection && this.fail(error),
    )
  }

  /**
   * The field cannot start: the developer learns why (tessera-error, console), the shopper sees
   * one short line in their language instead of an empty box.
   */
  private fail(error: TesseraElementError): void {
    this.unavailable = true
    console.error(`[tessera] ${error.message}${error.reason ? ` (${error.reason})` : ''}`)
    emit(this, 'tessera-error', error.toJSON())
  }

  private disconnectFrame(): void {
    const connection = this.connection
    this.connection = null
    connection?.close()
  }

  /** Sends locale, disabled state, customer session and the allow-listed styles to the frame. */
  private configure(): void {
    this.connection?.send(this.configuration())
  }

  private configuration(): ConfigureMessage {
    return {
      type: 'configure',
      locale: this.resolvedLocale,
      layout: this.layout === 'row' ? 'row' : 'stacked',
      disabled: this.disabled || this.formDisabled,
      customerSession: this.customerSession || null,
      style: readFrameStyle(this),
    }
  }

  private receive(message: FrameMessage): void {
    switch (message.type) {
      case 'ready':
        return emit(this, 'tessera-ready', { savedCards: message.savedCards })
      case 'change':
      {
        // The frame reports every edit (an edit drops the token); the page hears only changes.
        const same = this.state !== null && JSON.stringify(this.state) === JSON.stringify(message.state)
        this.state = message.state
        this.frameValidationMessage = message.validationMessage
        if (message.edited) this.dropToken()
        this.updateValidity()
        return same ? undefined : emit(this, 'tessera-change', message.state)
      }
      case 'focus':
        return emit(this, 'tessera-focus', { field: message.field })
      case 'blur':
        return emit(this, 'tessera-blur', { field: message.field })
      case 'resize':
        this.frameHeight = message.height
        return
      case 'error':
        return emit(this, 'tessera-error', message.error)
    }
  }

  /**
   * Encrypts the card in the frame and creates a token in the vault (or returns the chosen saved
   * card's token). Rejects with a TesseraElementError: `frame_unavailable`, a field's code
   * (`invalid_number`, `expired_card`…) with `param` naming the field, or the vault's code.
   */
  async tokenize(options: TokenizeOptions = {}): Promise<TokenizeResult> {
    if ((options as { customerId?: unknown } | null)?.customerId !== undefined) throw customerSessionRequired()
    // Called right after the element was created, the iframe is not rendered yet.
    await this.updateComplete
    const connection = this.connection
    if (!connection) throw this.src ? frameUnavailable('The card field is not in the page.') : keyRefused(this.publishableKey)
    await connection.ready
    const result = await connection.tokenize()
    if (!result.ok) throw new TesseraElementError(result.error)
    this.token = result.token
    this.internals.setFormValue(result.token)
    this.updateValidity()
    const { token, card, cvc_token } = result
    return cvc_token ? { token, card, cvc_token } : { token, card }
  }

  /**
   * Runs 3-D Secure for a payment in `requires_action`: shows the bank's challenge in a modal
   * dialog on this page and resolves with the payment's final status once the vault has the
   * acquirer's result. Rejects with `authentication_canceled` (Escape or Cancel),
   * `next_action_invalid`, `next_action_in_progress` or `frame_unavailable`. The dialog's code
   * loads from the vault on the first call.
   */
  async handleNextAction(nextAction: NextAction): Promise<NextActionResult> {
    const result = await runNextAction(nextAction, this.publishableKey, this.resolvedLocale)
    emit(this, 'tessera-next-action', result)
    return result
  }

  /** Focuses the card number: the iframe first, at once, then the input over the port (BROWSER.md). */
  override focus(options?: FocusOptions): void {
    this.iframe?.focus(options)
    this.connection?.send({ type: 'focus', field: 'number' })
  }

  /** Empties every field and forgets the token. */
  clear(): void {
    this.dropToken()
    this.connection?.send({ type: 'clear' })
    this.updateValidity()
  }

  /** Reads the --tessera-* custom properties again, after the page changed them. */
  refreshStyles(): void {
    this.configure()
  }

  private dropToken(): void {
    if (this.token === null) return
    this.token = null
    this.internals.setFormValue(null)
  }

  private updateValidity(): void {
    if (this.token !== null) return this.internals.setValidity({})
    const flags = this.state === null || this.state.empty ? { valueMissing: true } : { customError: true }
    const message = this.frameValidationMessage ?? TEXTS[this.resolvedLocale].empty
    this.internals.setValidity(flags, message, this.iframe ?? undefined)
  }

  formResetCallback(): void {
    this.clear()
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled
    this.configure()
  }

  // A restored token is not taken back: after a restore the frame is empty, and a token the
  // customer cannot see behind the field would be submitted silently.
  formStateRestoreCallback(): void {}
}

declare global {
  interface HTMLElementTagNameMap {
    'tessera-card': TesseraCard
  }
}
