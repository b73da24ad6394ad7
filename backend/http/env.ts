// The typed context every route and middleware shares.
import type { Principal } from '../projects/project.js'

export interface AppEnv {
  Variables: {
    requestId: string
    /** The client connected over TLS (set by the edge middleware). */
    https: boolean
    principal: Principal
    /** The parsed JSON body (an object) of a POST/PATCH, or {} when there was none. */
    body: Record<string, unknown>
    /** The raw body text, for the idempotency fingerprint. */
    rawBody: string
    /**
     * Set by the card frame's route when the browser says the embedding page is cross-site: the
     * answer leaves Origin-Agent-Cluster to the browser instead of asking for `?1` (widget.ts).
     */
    agentClusterByBrowser?: true
    /** SHA-256 of method, path and body, set by the idempotency middleware when the request has an Idempotency-Key. */
    requestHash?: string
  }
}
