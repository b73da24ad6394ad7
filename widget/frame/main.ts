// Entry of the card frame page (/frame/card): reads what the vault put in the URL, waits for the
// host's hello, then builds the form. On the vault's error page it only answers with why.
import { resolveLocale, type ErrorPayload, type ErrorType } from '../protocol.js'
import { CardFrame } from './controller.js'
import { loadMessages } from './i18n/index.js'
import { announce, nextTask, openChannel, sendFatal, takeEarlyMessages, waitForHello } from './handshake.js'
import { VaultClient } from './vault-client.js'

performance.mark('tessera:script')
const params = new URLSearchParams(location.search)
const hostOrigin = params.get('origin')
const fatal = document.body.dataset

async function answerWithError(origin: string): Promise<void> {
  const error: ErrorPayload = {
    type: (fatal.errorType as ErrorType | undefined) ?? 'invalid_request_error',
    code: 'frame_unavailable',
    message: fatal.errorMessage ?? 'The card field is unavailable.',
    ...(fatal.errorReason ? { reason: fatal.errorReason } : {}),
  }
  const hello = waitForHello(origin)
  announce(origin)
  sendFatal(origin, await hello, error)
}

async function start(origin: string, publishableKey: string): Promise<void> {
  // The page's early script has usually announced the frame already, so the host's hello may be
  // waiting among the messages it kept.
  const early = takeEarlyMessages()
  const hello = waitForHello(origin, early ?? [])
  if (!early) announce(origin)
  // The language chunk (if not English) is already on its way: the page preloads it.
  const messages = loadMessages(resolveLocale(params.get('locale')))
  const h = await hello
  performance.mark('tessera:hello')
  // The port first, and on its way before the form is built (nextTask).
  const port = openChannel(origin, h)
  await nextTask()
  const frame = new CardFrame(await messages, {
    client: new VaultClient(publishableKey),
    now: () => new Date(),
    newJti: () => crypto.randomUUID(),
  })
  frame.connect(port, h.configure)
  performance.mark('tessera:form')
}

// Opened as a top-level page there is no host to serve: show nothing rather than a form.
if (hostOrigin && window.parent !== window) {
  const key = params.get('key')
  if (fatal.errorMessage !== undefined) void answerWithError(hostOrigin)
  else if (key) void start(hostOrigin, key)
}
