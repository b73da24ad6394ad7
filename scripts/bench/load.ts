// One load run against a vault over loopback (autocannon), bounded in request count and time.
import autocannon from 'autocannon'

export interface LoadOptions {
  url: string
  connections: number
  /** Each request takes the next item, so every request is distinct work. */
  requests: { method: 'GET' | 'POST'; path: string; body?: string }[]
  headers: Record<string, string>
  /** Stop after this many seconds even if not every request was sent. */
  maxSeconds?: number
}

export interface LoadResult {
  requests: number
  rps: number
  p50: number
  p99: number
  non2xx: number
  errors: number
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  let next = 0
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
      },
    ],
  })
  const seconds = (performance.now() - started) / 1000
  const done = result.requests.total
  // Only successful answers count as throughput; refusals are reported beside it.
  return {
    requests: done,
    rps: Math.round((done - result.non2xx) / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }
}
