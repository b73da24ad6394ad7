// One load run against a server over loopback (autocannon), bounded in request count and time.
// Throughput comes from the answers' own timestamps: autocannon ends a run bounded by `amount`
// on its one-second tick, so the count divided by the phase's wall time would be quantised.
import autocannon from 'autocannon'

export interface LoadOptions {
  url: string
  connections: number
  /** Each request takes the next item, so every request is distinct work. */
  requests: { method: 'GET' | 'POST'; path: string; body?: string }[]
  headers: Record<string, string>
  /** Stop after this many seconds even if not every request was sent. */
  maxSeconds?: number
  /** Sees the body of each successful answer. */
  onBody?: (body: string) => unknown
}

export interface LoadResult {
  requests: number
  rps: number
  p50: number
  p99: number
  non2xx: number
  errors: number
  /** The server process's CPU time per successful answer, in µs (set by the caller that knows the process). */
  serverCpuUs?: number
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  let next = 0
  let ok = 0
  let lastAnswer = 0
  const items = options.requests
  const started = performance.now()
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    amount: items.length,
    duration: options.maxSeconds ?? 60,
    headers: options.headers,
    requests: [
      {
        setupRequest: (req) => {
          const item = items[next++ % items.length] as (typeof items)[number]
          return { ...req, method: item.method, path: item.path, ...(item.body === undefined ? {} : { body: item.body }) }
        },
        onResponse: (status, body) => {
          lastAnswer = performance.now()
          if (status >= 200 && status < 300) {
            ok++
            options.onBody?.(body)
          }
        },
      },
    ],
  })
  // From the first request sent to the last answer received; only successful answers count.
  const seconds = ((lastAnswer || performance.now()) - started) / 1000
  return {
    requests: result.requests.total,
    rps: Math.round(ok / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}
