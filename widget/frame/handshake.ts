// The frame's half of the handshake: a hello counts only from the parent window and from the
// origin the vault vouched for when it served this page; the port goes to that origin only.
import { parseHello, PROTOCOL_VERSION, type ConnectMessage, type ErrorPayload, type FatalMessage, type HelloMessage, type LoadedMessage } from '../protocol.js'

/** Resolves with the first valid hello; every other message is ignored. */
export function waitForHello(hostOrigin: string): Promise<HelloMessage> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window.parent || event.origin !== hostOrigin) return
      const hello = parseHello(event.data)
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
