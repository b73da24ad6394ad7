// The frame's half of the handshake: a hello counts only from the parent window and from the
// origin the vault vouched for when it served this page; the port goes to that origin only.
import { parseHello, PROTOCOL_VERSION, type ConnectMessage, type ErrorPayload, type FatalMessage, type HelloMessage, type LoadedMessage } from '../protocol.js'

/**
 * What the page's early script (early.ts) kept before this script ran, taken once: null when it
 * did not run (its request failed; the error page has none), and then this script announces
 * itself. From now on nothing more is kept.
 */
export function takeEarlyMessages(): MessageEvent[] | null {
  const kept = window.tesseraEarly ?? null
  window.tesseraEarly = null
  return kept
}

/** Resolves with the first valid hello, kept early or arriving now; every other message is ignored. */
export function waitForHello(hostOrigin: string, early: readonly MessageEvent[] = []): Promise<HelloMessage> {
  const helloIn = (event: MessageEvent) => (event.source === window.parent && event.origin === hostOrigin ? parseHello(event.data) : null)
  for (const event of early) {
    const hello = helloIn(event)
    if (hello) return Promise.resolve(hello)
  }
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      const hello = helloIn(event)
      if (!hello) return
      window.removeEventListener('message', onMessage)
      resolve(hello)
    }
    window.addEventListener('message', onMessage)
  })
}

/** Hands one end of a new channel to the host, never with '*' as the target origin. */
export function openChannel(hostOrigin: string, hello: HelloMessage): MessagePort {
  const channel = new MessageChannel()
  const connect: ConnectMessage = { tessera: PROTOCOL_VERSION, type: 'connect', nonce: hello.nonce }
  window.parent.postMessage(connect, hostOrigin, [channel.port2])
  return channel.port1
}

/** The error page's answer: why there is no card form, so the element rejects at once. */
export function sendFatal(hostOrigin: string, hello: HelloMessage, error: ErrorPayload): void {
  const fatal: FatalMessage = { tessera: PROTOCOL_VERSION, type: 'fatal', nonce: hello.nonce, error }
  window.parent.postMessage(fatal, hostOrigin)
}

/** Tells the host the script runs, so its hello need not wait for the load event (ready sooner). */
export function announce(hostOrigin: string): void {
  const loaded: LoadedMessage = { tessera: PROTOCOL_VERSION, type: 'loaded' }
  window.parent.postMessage(loaded, hostOrigin)
}

/**
 * Resolves in a later task. Chromium hands a message for a window in another process to the
 * browser from a task of its own, queued behind the task that posted it, and a rendering update
 * may go first: work done before yielding delays the message by as long (measured: `connect`
 * reached the host 24 ms after it was posted, the time the new form took to build and lay out).
 * A message on a channel is queued like the forwarding, so this runs after it, not before.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
  })
}
