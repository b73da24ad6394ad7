// The host's half of the handshake and the port that follows: hello goes to the iframe's window
// for the vault's origin only; an answer counts only from that window, that origin and that nonce.
import {
  createNonce,
  HANDSHAKE_TIMEOUT_MS,
  parseConnect,
  parseFatal,
  parseFrameMessage,
  parseLoaded,
  PROTOCOL_VERSION,
  type ConfigureMessage,
  type FrameMessage,
  type HelloMessage,
  type HostMessage,
  type ResultMessage,
} from '../protocol.js'
import { frameUnavailable, TesseraElementError } from './errors.js'

/**
 * How often hello is repeated until the frame answers. The frame's `loaded` announcement is the
 * prompt to say it (sooner than the iframe's load event, which therefore is not listened to).
 */
const HELLO_INTERVAL_MS = 250

export interface ConnectionOptions {
  iframe: HTMLIFrameElement
  vaultOrigin: string
  onMessage(message: FrameMessage): void
  /** The configuration the hello carries, read afresh for every hello. */
  configuration(): ConfigureMessage
  timeoutMs?: number
}

export class FrameConnection {
  /** Settles once: the port, or a frame_unavailable error (timeout or the vault's error page). */
  readonly ready: Promise<MessagePort>
  private port: MessagePort | null = null
  private nextId = 0
  /** The tokenize request the frame has not answered yet: one at a time. */
  private inFlight: ((result: ResultMessage) => void) | null = null
  private cleanup: () => void = () => {}
  private failHandshake: (error: TesseraElementError) => void = () => {}

  constructor(private readonly options: ConnectionOptions) {
    this.ready = new Promise<MessagePort>((resolve, reject) => {
      this.failHandshake = (error) => {
        this.cleanup()
        reject(error)
      }
      this.handshake(resolve)
    })
    // A rejection nobody awaits yet is still handled: the element reports it as an event.
    this.ready.catch(() => {})
  }

  private handshake(resolve: (port: MessagePort) => void): void {
    const { iframe, vaultOrigin, configuration } = this.options
    const nonce = createNonce()
    // A frame blocked by frame-ancestors or sent elsewhere is not at vaultOrigin: the browser drops it.
    const sayHello = () => iframe.contentWindow?.postMessage({ tessera: PROTOCOL_VERSION, type: 'hello', nonce, configure: configuration() } satisfies HelloMessage, vaultOrigin)
    const onMessage = (event: MessageEvent) => {
      if (event.source !== iframe.contentWindow || event.origin !== vaultOrigin) return
      if (parseLoaded(event.data)) return sayHello()
      const connect = parseConnect(event.data)
      const port = event.ports[0]
      if (connect?.nonce === nonce && port) {
        this.cleanup()
        this.open(port)
        resolve(port)
        return
      }
      const fatal = parseFatal(event.data)
      if (fatal?.nonce === nonce) this.failHandshake(new TesseraElementError(fatal.error))
    }
    const interval = setInterval(sayHello, HELLO_INTERVAL_MS)
    const timeout = setTimeout(
      () => this.failHandshake(frameUnavailable('The card field did not load: check the key, the allowed origins and the vault.', 'handshake_timeout')),
      this.options.timeoutMs ?? HANDSHAKE_TIMEOUT_MS,
    )
    window.addEventListener('message', onMessage)
    this.cleanup = () => {
      clearInterval(interval)
      clearTimeout(timeout)
      window.removeEventListener('message', onMessage)
    }
  }

  private open(port: MessagePort): void {
    this.port = port
    port.onmessage = (event) => {
      const message = parseFrameMessage(event.data)
      if (message?.type === 'result') this.inFlight?.(message)
      else if (message) this.options.onMessage(message)
    }
  }

  /** Sends over the port; before the handshake completes there is nowhere to send. */
  send(message: HostMessage): boolean {
    this.port?.postMessage(message)
    return this.port !== null
  }

  /** Asks the frame for a token; answered by its `result`, or as failed when the port closes. */
  tokenize(): Promise<ResultMessage> {
    if (this.inFlight) throw new TesseraElementError({ type: 'invalid_request_error', code: 'tokenize_in_progress', message: 'A tokenize call is already running.' })
    return new Promise<ResultMessage>((resolve) => {
      this.inFlight = resolve
      this.send({ type: 'tokenize', id: ++this.nextId })
    }).finally(() => (this.inFlight = null))
  }

  close(): void {
    const removed = frameUnavailable('The card field is not in the page.')
    this.failHandshake(removed)
    this.inFlight?.({ type: 'result', id: -1, ok: false, error: removed.toJSON() })
    this.port?.close()
    this.port = null
  }
}
