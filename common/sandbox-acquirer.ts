// Where the sandbox acquirer (demo/acquirer) listens by default and the development key it and
// the vault's acquirer client (backend/acquirer/http-client.ts) agree on when none is set.
export const DEFAULT_ACQUIRER_URL = 'http://127.0.0.1:8790'
/** The sandbox's development key: public, for development and tests only. */
export const DEFAULT_ACQUIRER_KEY = 'acq_dev_sandbox_key'
