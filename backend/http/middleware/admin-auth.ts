// Authenticates the management API's admin key (`ak_...`). A project's own keys are refused
// with 403 (they are real keys, but not for this), anything else with 401.
import type { MiddlewareHandler } from 'hono'
import { AuthenticationError, PermissionError } from '../../errors.js'
import type { AdminPrincipal } from '../../projects/admin-keys.js'
import { API_KEY_SHAPE } from '../../projects/key-material.js'
import type { AppEnv } from '../env.js'
import { bearerKey } from './auth.js'

export interface AdminAuthOptions {
  authenticate(rawKey: string): Promise<AdminPrincipal | null>
  publicOrigin?: string | undefined
}

export type AdminEnv = AppEnv & { Variables: { admin: AdminPrincipal } }

export function adminAuth(options: AdminAuthOptions): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const key = bearerKey(c, options.publicOrigin)
    // An admin key in a browser is as leaked as a secret key.
    if (c.req.header('origin') !== undefined) throw new PermissionError('secret_key_in_browser', 'Admin keys must not be used from a browser.')
    if (API_KEY_SHAPE.test(key)) throw new PermissionError('admin_key_required', 'The management API takes an admin key (ak_...), made with `tessera admin-key create`.')
    const admin = await options.authenticate(key)
    if (!admin) throw new AuthenticationError('invalid_api_key', 'No valid admin key provided.')
    c.set('admin', admin)
    await next()
  }
}
