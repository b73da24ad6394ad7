// Public key sets anyone may fetch: the JWE encryption keys the frame encrypts cards to.
import { Hono } from 'hono'
import type { JweKeyRing } from '../crypto/jwe-keys.js'
import type { AppEnv } from './env.js'

export function publicKeyRoutes(keyRing: JweKeyRing): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/jwks', async (c) => {
    c.header('Access-Control-Allow-Origin', '*')
    // Short enough that a rotation reaches frames well inside the grace period.
    c.header('Cache-Control', 'public, max-age=300')
    return c.json(await keyRing.jwks())
  })
  return app
}
