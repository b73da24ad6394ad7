// Where the element's iframe points: the loader is served by the vault, so the frame lives
// beside it, on the vault's origin.
const FRAME_URL = new URL('../frame/card', import.meta.url)

export const VAULT_ORIGIN = FRAME_URL.origin

/** Only a key of this shape ever leaves the page (in the frame's URL, to the 3-D Secure page). */
export const isPublishableKey = (key: string | null): key is string => !!key && /^pk_(test|live)_/.test(key)

/** The frame page for a publishable key (null for anything else); the vault checks key and host origin. */
export function frameSrc(publishableKey: string | null, locale: string): string | null {
  if (!isPublishableKey(publishableKey)) return null
  const url = new URL(FRAME_URL)
  url.search = new URLSearchParams({ key: publishableKey, origin: location.origin, locale }).toString()
  return url.href
}
