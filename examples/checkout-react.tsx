// The same checkout in React: <TesseraCard> takes the element's properties and typed event props.
import { loadTessera } from '@tessera/card'
import { TesseraCard, type TesseraCardElement } from '@tessera/react'
import { useEffect, useRef, useState } from 'react'

export function Checkout({ vaultUrl, publishableKey }: { vaultUrl: string; publishableKey: string }) {
  const card = useRef<TesseraCardElement>(null)
  const [ready, setReady] = useState(false)
  const [complete, setComplete] = useState(false)
  const [failure, setFailure] = useState<string | null>(null)

  useEffect(() => {
    loadTessera({ vaultUrl }).then(() => setReady(true), (error: Error) => setFailure(error.message))
  }, [vaultUrl])

  async function pay() {
    const { token } = await card.current!.tokenize()
    await fetch('/pay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) })
  }

  if (failure) return <p role="alert">{failure}</p>
  return (
    <form onSubmit={(event) => (event.preventDefault(), void pay())}>
      <TesseraCard ref={card} publishableKey={publishableKey} onChange={(event) => setComplete(event.detail.complete)} onError={(event) => setFailure(event.detail.message)} />
      <button disabled={!ready || !complete}>Pay</button>
    </form>
  )
}
