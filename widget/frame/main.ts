// Entry of the card frame page (/frame/card): reads what the vault put in the URL, builds the
// form, and waits for the host's hello. On the vault's error page it only answers with why.
import { resolveLocale, type ErrorPayload, type ErrorType } from '../protocol.js'
import { CardFrame } from './controller.js'
import { loadMessages } from './i18n/index.js'
import { announce, openChannel, sendFatal, waitForHello } from './handshake.js'
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
  // The language chunk (if not English) is fetched while the host says hello.
  const hello = waitForHello(origin)
  announce(origin)
  const messages = await loadMessages(resolveLocale(params.get('locale')))
  performance.mark('tessera:messages')
  const frame = new CardFrame(messages, {
    client: new VaultClient(publishableKey),
    now: () => new Date(),
    newJti: () => crypto.randomUUID(),
  })
  performance.mark('tessera:form')
  const h = await hello
  performance.mark('tessera:hello')
  frame.connect(openChannel(origin, h), h.configure)
}

// Opened as a top-level page there is no host to serve: show nothing rather than a form.
if (hostOrigin && window.parent !== window) {
  const key = params.get('key')
  if (fatal.errorMessage !== undefined) void answerWithError(hostOrigin)
  else if (key) void start(hostOrigin, key)
}
