// The frame's languages, chosen by the element's `locale`.
import type { Locale } from '../../protocol.js'
import { en } from './en.js'
import type { Messages } from './messages.js'
import { ro } from './ro.js'

export type { Messages, ServiceErrorCode } from './messages.js'

const catalogue: Record<Locale, Messages> = { en, ro }

export const messagesFor = (locale: Locale): Messages => catalogue[locale]
