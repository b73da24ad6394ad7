// Allowed origins: normalised when they are set (scheme, host, port; a trailing slash dropped),
// and `https://` for live keys apart from loopback hosts, where a developer runs a shop locally.
import { InvalidRequestError } from '../errors.js'
import type { Mode } from '../store/schema.js'
import type { Project } from './project.js'

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Most origins a project may list: a frame-ancestors header has to stay a sane size. */
export const MAX_ALLOWED_ORIGINS = 20

/** `HTTPS://Shop.Example:443/` → `https://shop.example`; null for anything that is not a bare origin. */
export function normalizeOrigin(value: string): string | null {
  if (value.length > 2048 || !URL.canParse(value)) return null
  const url = new URL(value)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return null
  // `https://shop.example/?` and `#` leave empty search/hash but are not bare origins either.
  if (/[?#]/.test(value)) return null
  return url.origin
}

export const isLoopbackOrigin = (origin: string): boolean => LOOPBACK_HOSTS.has(new URL(origin).hostname)

/** An origin a live-mode key may be embedded on: https, or a developer's own machine. */
export const servesLiveMode = (origin: string): boolean => origin.startsWith('https://') || isLoopbackOrigin(origin)

/**
 * Normalises a list of allowed origins, refusing (400, `param` = `allowed_origins`) one that is
 * not a bare http(s) origin, duplicates after normalisation, and lists that are empty or too long.
 */
export function normalizeOrigins(values: readonly string[], param = 'allowed_origins'): string[] {
  if (values.length === 0) throw new InvalidRequestError('parameter_invalid', 'List at least one allowed origin, like https://shop.example.', param)
  if (values.length > MAX_ALLOWED_ORIGINS) throw new InvalidRequestError('parameter_invalid', `At most ${MAX_ALLOWED_ORIGINS} allowed origins.`, param)
  const out: string[] = []
  for (const value of values) {
    const origin = normalizeOrigin(value)
    if (!origin) throw new InvalidRequestError('origin_invalid', `${JSON.stringify(value.slice(0, 200))} is not an origin like https://shop.example (scheme, host and port only).`, param)
    if (!out.includes(origin)) out.push(origin)
  }
  return out
}

/**
 * The origins a key of `mode` may be embedded on. One list serves both modes; an `http://`
 * origin other than a loopback host counts in test mode only, so a live key never loads its
 * card field into a page an attacker on the network could rewrite.
 */
export function originsForMode(project: Pick<Project, 'allowedOrigins'>, mode: Mode): string[] {
  return mode === 'live' ? project.allowedOrigins.filter(servesLiveMode) : project.allowedOrigins
}
