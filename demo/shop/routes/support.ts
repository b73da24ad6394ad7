// Helpers the route modules share: rendering a page for this request, the card field's loader,
// JSON bodies checked with a schema.
import type { Context } from 'hono'
import * as v from 'valibot'
import type { ShopDeps, ShopEnv } from '../env.js'
import { page, type PageOptions } from '../views/layout.js'

export type ShopContext = Context<ShopEnv>

export function render(c: ShopContext, deps: ShopDeps, options: Omit<PageOptions, 'session' | 'vaultUrl'>, status: 200 | 404 | 422 | 503 = 200) {
  return c.html(page({ ...options, session: c.get('session'), vaultUrl: deps.vault.url }), status)
}

/** The loader tag's attributes, or null when the vault does not answer (the page says so). */
export async function cardFieldLoader(deps: ShopDeps): Promise<{ src: string; integrity: string } | null> {
  try {
    return { src: deps.vault.loaderUrl, integrity: await deps.vault.loaderIntegrity() }
  } catch {
    return null
  }
}

export function apiError(c: ShopContext, status: 400 | 403 | 404 | 409 | 422 | 502 | 503 | 504, code: string, message: string) {
  return c.json({ error: { code, message } }, status)
}

/** The JSON body checked against `schema`, or null (the caller answers 400). */
export async function jsonBody<S extends v.GenericSchema>(c: ShopContext, schema: S): Promise<v.InferOutput<S> | null> {
  const body = await c.req.json().catch(() => undefined)
  const parsed = v.safeParse(schema, body)
  return parsed.success ? parsed.output : null
}

/** Token values the vault issues in any format: hex, digits, or a merchant's own (no spaces, short). */
export const tokenValue = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.:-]{1,128}$/))

export const attemptId = v.pipe(v.string(), v.uuid())

export const statusOf = (status: number): 400 | 404 | 409 | 422 | 502 | 503 | 504 =>
  ([400, 404, 409, 422, 502, 503, 504] as const).find((s) => s === status) ?? 502
