// A small client for the vault's HTTP API in tests: JSON in, status and JSON out.
export interface ApiResponse<T = any> {
  status: number
  body: T
  headers: Headers
}

export interface CallOptions {
  key?: string
  body?: unknown
  headers?: Record<string, string>
  rawBody?: string
}

export function api(baseUrl: string) {
  return async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers }
    if (options.key) headers.authorization = `Bearer ${options.key}`
    let body: string | undefined = options.rawBody
    if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers['content-type'] ??= 'application/json'
    }
    const res = await fetch(baseUrl + path, { method, headers, body })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // not JSON: leave the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers }
  }
}

export type Api = ReturnType<typeof api>
