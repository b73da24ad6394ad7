// handleNextAction()'s first step: the 3-D Secure dialog's code is a chunk of its own, loaded
// from the vault on the first call (not in the loader's budget).
import type { Locale } from '../../protocol.js'
import { frameUnavailable, keyRefused } from '../errors.js'
import { isPublishableKey, VAULT_ORIGIN } from '../frame-url.js'
import type { NextAction, NextActionResult } from '../types.js'

export async function runNextAction(nextAction: NextAction, publishableKey: string | null, locale: Locale): Promise<NextActionResult> {
  if (!isPublishableKey(publishableKey)) throw keyRefused(publishableKey)
  let dialog: typeof import('./dialog.js')
  try {
    dialog = await import('./dialog.js')
  } catch {
    throw frameUnavailable('The 3-D Secure dialog did not load.')
  }
  return dialog.runThreeDSecure({ nextAction, publishableKey, locale, vaultOrigin: VAULT_ORIGIN })
}
