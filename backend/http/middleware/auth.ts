// Authenticates `Authorization: Bearer <key>` (the scheme in any case, RFC 9110): secret and restricted keys for the merchant's
// server, publishable keys for the frame. A request from a browser page on another origin is
// refused outright: the API grants CORS to no one, and no page but the frame calls it.
// A restricted key must also hold the permission the route needs (http/permissions.ts).
import type { Context, MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import { AuthenticationError, PermissionError } from '../../errors.js'
import { ADMIN_KEY_SHAPE } from '../../projects/key-material.js'
import type { Principal } from '../../projects/project.js'
import type { AppEnv } from '../env.js'
import { requestHeader } from '../request-header.js'
import { requiredPermission } from '../permissions.js'

export interface AuthOptions {
  authenticate(rawKey: string): Promise<Principal | null>
  /** The vault's public origin (config) or, when unset, the origin the request was made to. */
  publicOrigin?: string | undefined
  /** `secret`: only secret (and restricted) keys; `any`: publishable keys too. */
  accept: 'secret' | 'any'
}

export function ownOrigin(requestUrl: string, configured?: string): string {
  return configured ?? new URL(requestUrl).origin
}

/** The bearer key of a request that is no cross-origin page's; throws the documented errors. */
export function bearerKey(c: Context, publicOrigin: string | undefined): string {
  const origin = requestHeader(c, 'origin')
  if (origin !== undefined && origin !== ownOrigin(c.req.url, publicOrigin)) {
    throw new PermissionError('origin_not_allowed', 'The API answers the card frame and servers only, not other web pages.')
  }
  const match = /^Bearer ([^\s]{1,200})$/i.exec(requestHeader(c, 'authorization') ?? '')
  if (!match) throw new AuthenticationError('missing_api_key', 'Send your API key as `Authorization: Bearer <key>`.')
  return match[1] as string
}

function checkPermission(c: Context<AppEnv>, principal: Principal): void {
  if (!principal.permissions) return
  const needed = requiredPermission(c.req.method, routePath(c))
  if (!needed || !principal.permissions.includes(needed)) {
    throw new PermissionError('permission_missing', needed ? `This restricted key lacks the '${needed}' permission.` : 'Restricted keys cannot call this endpoint.')
  }
}

export function auth(options: AuthOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = bearerKey(c, options.publicOrigin)
    // An admin key is a real key, but for the management API only (its mirror: admin-auth.ts).
    if (ADMIN_KEY_SHAPE.test(key)) throw new PermissionError('secret_key_required', "Admin keys (ak_...) manage projects only, under /v1/projects; this endpoint takes a project's key.")
    const principal = await options.authenticate(key)
    if (!principal) throw new AuthenticationError()
    if (options.accept === 'secret' && principal.kind !== 'secret') {
      throw new PermissionError('secret_key_required', 'This endpoint needs a secret key.')
    }
    // A secret key in a browser is a leaked key: never honour one sent by a page.
    if (principal.kind === 'secret' && requestHeader(c, 'origin') !== undefined) {
      throw new PermissionError('secret_key_in_browser', 'Secret keys must not be used from a browser.')
    }
    checkPermission(c, principal)
    c.set('principal', principal)
    await next()
  }
}
