// Bounded tokenize load for the outage tests: a few clients POST /v1/tokens in a loop, one
// request at a time each, until told to stop; every answer is kept with its timing, and any
// request that gets no HTTP answer at all (a reset, a refused connection, a hang past the
// client's timeout) is kept as an error.
import type { JWK } from 'jose'
import { encryptCard } from '../../../helpers/cards.js'

export interface Outcome {
  /** performance.now() when the request was sent. */
  at: number
  ms: number
  status?: number
  code?: string
  retryAfter?: string | null
  token?: string
  error?: string
}

export interface Load {
  readonly outcomes: Outcome[]
  stop(): Promise<Outcome[]>
}

export interface LoadOptions {
  url: string
  key: string
  jwk: JWK & { kid: string }
  clients: number
  /** Pause between one client's requests. */
  pauseMs: number
  /** A request with no answer after this long is an error (a hang). */
  timeoutMs: number
  /** A hard cap on requests, so the load stops by itself whatever happens. */
  maxRequests: number
}

export function startLoad(options: LoadOptions): Load {
  const outcomes: Outcome[] = []
  let stopped = false
  const client = async () => {
    while (!stopped && outcomes.length < options.maxRequests) {
      const card = await encryptCard(options.url, {}, { jwk: options.jwk })
      const at = performance.now()
      try {
        const res = await fetch(`${options.url}/v1/tokens`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ card }),
          signal: AbortSignal.timeout(options.timeoutMs),
        })
        const body = (await res.json()) as { token?: string; error?: { code: string } }
        outcomes.push({ at, ms: performance.now() - at, status: res.status, code: body.error?.code, retryAfter: res.headers.get('retry-after'), token: body.token })
      } catch (error) {
        outcomes.push({ at, ms: performance.now() - at, error: String((error as { cause?: unknown }).cause ?? error) })
      }
      await new Promise((r) => setTimeout(r, options.pauseMs))
    }
  }
  const clients = Array.from({ length: options.clients }, client)
  return {
    outcomes,
    async stop() {
      stopped = true
      await Promise.all(clients)
      return outcomes
    },
  }
}

/** Polls a URL every `everyMs` and records the statuses (or errors) with their times. */
export function poll(url: string, everyMs: number): { samples: { at: number; status: number | string }[]; stop(): Promise<void> } {
  const samples: { at: number; status: number | string }[] = []
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      const at = performance.now()
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(5_000) })
        await res.arrayBuffer()
        samples.push({ at, status: res.status })
      } catch (error) {
        samples.push({ at, status: String(error) })
      }
      await new Promise((r) => setTimeout(r, everyMs))
    }
  })()
  return {
    samples,
    async stop() {
      stopped = true
      await loop
    },
  }
}
