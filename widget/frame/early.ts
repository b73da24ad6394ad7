// The card frame page's first script: a few hundred bytes that run while the frame's main script
// is still on its way (module scripts run in order, each once it and the page's stylesheet have
// arrived). It tells the host the page is here, so the host's hello is already waiting when the
// main script runs instead of making a round trip after it (docs/performance.md, "Time to ready of
// the card field"), and keeps the messages that arrive meanwhile for the main script, which checks
// them exactly as it checks live ones (handshake.ts). It reads nothing but the page's URL, sends
// nothing but the content-free `loaded`, and imports nothing, so it stays one small file with no
// import to wait for. Should it not run (its request failed), the main script announces itself.

/** widget/protocol.ts's PROTOCOL_VERSION (a unit test holds the two equal). */
export const EARLY_PROTOCOL_VERSION = 1

declare global {
  interface Window {
    /**
     * Messages that reached the frame before its main script ran (set by this script only);
     * null once the main script has taken them or started without them.
     */
    tesseraEarly?: MessageEvent[] | null
  }
}

const hostOrigin = new URLSearchParams(location.search).get('origin')
if (hostOrigin && window.parent !== window && window.tesseraEarly === undefined) {
  performance.mark('tessera:early')
  const kept: MessageEvent[] = []
  window.tesseraEarly = kept
  // Kept until the main script takes the array; after that nothing is.
  window.addEventListener('message', (event) => window.tesseraEarly === kept && kept.length < 32 && kept.push(event))
  try {
    window.parent.postMessage({ tessera: EARLY_PROTOCOL_VERSION, type: 'loaded' }, hostOrigin)
  } catch {
    // Not an origin: the main script refuses the page the same way.
  }
}
