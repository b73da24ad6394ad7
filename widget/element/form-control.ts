// What a native form control offers, for a form-associated custom element: `form`, `validity`,
// `validationMessage`, `willValidate`, `checkValidity()` and `reportValidity()` over its
// ElementInternals, which subclasses fill with setFormValue and setValidity.
import { LitElement } from 'lit'

export class FormControlElement extends LitElement {
  static formAssociated = true

  protected readonly internals: ElementInternals

  constructor() {
    super()
    this.internals = this.attachInternals()
  }

  /** The form this element belongs to. */
  get form(): HTMLFormElement | null {
    return this.internals.form
  }

  get validity(): ValidityState {
    return this.internals.validity
  }

  get validationMessage(): string {
    return this.internals.validationMessage
  }

  get willValidate(): boolean {
    return this.internals.willValidate
  }

  checkValidity(): boolean {
    return this.internals.checkValidity()
  }

  reportValidity(): boolean {
    return this.internals.reportValidity()
  }
}
