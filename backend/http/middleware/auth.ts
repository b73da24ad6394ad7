// Authenticates `Authorization: Bearer <key>`: secret keys for the merchant's server,
// publishable keys for the frame. A request from a browser page on another origin is
// refused outright: the API grants CORS to no one, and no page but the frame calls it.
import type { MiddlewareHandler } from 'hono'
import { AuthenticationError, PermissionError } from '../../errors.js'
import type { Principal } from '../../projects/project.js'
import type { AppEnv } from '../env.js'

export interface AuthOptions {
  authenticate(rawKey: string): Promise<Principal | null>
  /** The vault's public origin (config) or, when unset, the origin the request was made to. */
  publicOrigin?: string | undefined
  /** `secret`: only secret keys; `any`: publishable keys too. */
  accept: 'secret' | 'any'
}

export function ownOrigin(requestUrl: string, configured?: string): string {
  return configured ?? new URL(requestUrl).origin
}

export function auth(options: AuthOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin')
    if (origin !== undefined && origin !== ownOrigin(c.req.url, options.publicOrigin)) {
      throw new PermissionError('origin_not_allowed', 'The API answers the card frame and servers only, not other web pages.')
    }
    const header = c.req.header('authorization') ?? ''
    const match = /^Bearer ([^\s]{1,200})$/.exec(header)
    if (!match) throw new AuthenticationError('missing_api_key', 'Send your API key as `Authorization: Bearer <key>`.')
    const principal = await options.authenticate(match[1] as string)
    if (!principal) throw new AuthenticationError()
    if (options.accept === 'secret' && principal.kind !== 'secret') {
      throw new PermissionError('secret_key_required', 'This endpoint needs a secret key.')
    }
    // A secret key in a browser is a leaked key: never honour one sent by a page.
    if (principal.kind === 'secret' && origin !== undefined) {
      throw new PermissionError('secret_key_in_browser', 'Secret keys must not be used from a browser.')
    }
    c.set('principal', principal)
    await next()
  }
}
