// Reads the allow-listed --tessera-* custom properties from the element's computed style; the
// frame applies only what survives sanitising (and sanitises again on arrival).
import { sanitizeStyle, STYLE_PROPERTIES, type FrameStyle } from '../protocol.js'

export function readFrameStyle(element: Element): FrameStyle {
  const computed = getComputedStyle(element)
  const raw: Record<string, string> = {}
  for (const name of STYLE_PROPERTIES) raw[name] = computed.getPropertyValue(name)
  return sanitizeStyle(raw)
}
