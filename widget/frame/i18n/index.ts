// The frame's languages, chosen by the element's `locale`. English is built in; every other
// language is its own small chunk, fetched from the vault only when it is chosen.
import type { Locale } from '../../protocol.js'
import { en } from './en.js'
import type { Messages } from './messages.js'

export type { Messages, ServiceErrorCode } from './messages.js'

export { en }

const loaders: Record<Exclude<Locale, 'en'>, () => Promise<Messages>> = {
  ro: () => import('./ro.js').then((m) => m.ro),
  de: () => import('./de.js').then((m) => m.de),
  fr: () => import('./fr.js').then((m) => m.fr),
  es: () => import('./es.js').then((m) => m.es),
  it: () => import('./it.js').then((m) => m.it),
  pl: () => import('./pl.js').then((m) => m.pl),
  nl: () => import('./nl.js').then((m) => m.nl),
}

const loaded = new Map<Locale, Promise<Messages>>([['en', Promise.resolve(en)]])

/** One language's texts; English when its chunk cannot be fetched (the form must still work). */
export function loadMessages(locale: Locale): Promise<Messages> {
  let messages = loaded.get(locale)
  if (!messages) {
    messages = loaders[locale as Exclude<Locale, 'en'>]().catch(() => {
      loaded.delete(locale)
      return en
    })
    loaded.set(locale, messages)
  }
  return messages
}
