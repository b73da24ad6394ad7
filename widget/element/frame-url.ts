// Where the element's iframe points: the loader is served by the vault, so the frame lives
// beside it, on the vault's origin.
const FRAME_URL = new URL('../frame/card', import.meta.url)

export const VAULT_ORIGIN = FRAME_URL.origin

/** The frame page for a publishable key (null without one): the vault checks key and host origin. */
export function frameSrc(publishableKey: string | null, locale: string): string | null {
  if (!publishableKey) return null
  const url = new URL(FRAME_URL)
  url.search = new URLSearchParams({ key: publishableKey, origin: location.origin, locale }).toString()
  return url.href
}
