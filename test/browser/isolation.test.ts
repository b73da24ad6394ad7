// Scenarios 2 and 4 of issue 3: the host page cannot read what the customer types, and messages
// forged by the host page or by another frame do nothing to the card frame or the element.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeInBrowser } from './support/chromium.js'
import { merchantPage, startHost, type HostServer } from './support/host-server.js'
import { cardFrame, EVENT_RECORDER, recordedEvents, startWorld, tokenizeInPage, typeCard, waitForEvent, type World } from './support/world.js'

const NUMBER = '3566002020360505'
const FORMATTED = '3566 0020 2036 0505'
/** Digits 7-12: in neither the BIN nor the last four, so they may appear nowhere in the page. */
const MIDDLE = NUMBER.slice(6, 12)
const CVC = '987'

/** Runs before the loader: records window messages, port traffic both ways, and keystrokes. */
const SPY = `<script>
window.spy = [];
const record = (where, data) => { let text; try { text = JSON.stringify(data) } catch { text = String(data) } window.spy.push(where + ' ' + text) };
window.addEventListener('message', (e) => record('window message', e.data), true);
for (const type of ['keydown', 'keypress', 'input', 'paste']) window.addEventListener(type, (e) => record(type, e.key ?? e.data ?? ''), true);
const send = MessagePort.prototype.postMessage;
MessagePort.prototype.postMessage = function (data, ...rest) { record('port send', data); return send.call(this, data, ...rest) };
const onmessage = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
Object.defineProperty(MessagePort.prototype, 'onmessage', {
  get() { return onmessage.get.call(this) },
  set(fn) { onmessage.set.call(this, (e) => { record('port receive', e.data); return fn.call(this, e) }) },
});
</script>`

/** Everything the host page can reach after the card was typed and tokenized. */
const PROBE = () => {
  const iframe = document.querySelector('tessera-card')!.shadowRoot!.querySelector('iframe')!
  const found: string[] = [...(window as any).spy]
  found.push(`contentDocument ${String(iframe.contentDocument)}`)
  try {
    found.push((iframe.contentWindow as any).document.body.innerHTML)
  } catch (error: any) {
    found.push(`contentWindow.document threw ${error.name}`)
  }
  const walk = (root: Document | ShadowRoot) => {
    for (const el of Array.from(root.querySelectorAll('*'))) {
      found.push(el.outerHTML)
      if ((el as HTMLInputElement).value) found.push((el as HTMLInputElement).value)
      if (el.shadowRoot) walk(el.shadowRoot)
    }
  }
  walk(document)
  found.push(document.cookie, JSON.stringify(localStorage), JSON.stringify(sessionStorage))
  found.push(...performance.getEntries().map((e) => e.name))
  return found
}

describeInBrowser('isolation of the card frame', () => {
  let world: World
  let evilHost: HostServer

  beforeAll(async () => {
    ;[world, evilHost] = await Promise.all([startWorld(), startHost()])
  })
  afterAll(async () => {
    await evilHost?.close()
    await world?.close()
  })

  it('keeps every digit the customer types out of the host page', async () => {
    const body = `<tessera-card publishable-key="${world.keys.test.publishable_key}"></tessera-card>`
    const page = await world.browser.newPage()
    await page.goto(world.host.page('/spied', merchantPage(world.vault.url, body, SPY + EVENT_RECORDER)))
    await waitForEvent(page, 'tessera-ready')
    const frame = await cardFrame(page)
    await typeCard(frame, { number: NUMBER, expiry: '1230', cvc: CVC, name: 'Ana Pop' })
    const result = await tokenizeInPage(page)
    expect(result).toMatchObject({ ok: true, card: { brand: 'jcb', last4: '0505' } })

    const found = await page.evaluate(PROBE)
    expect(found).toContain('contentDocument null')
    expect(found).toContain('contentWindow.document threw SecurityError')
    // The spy did see the port: the token came through it.
    expect(found.some((line) => line.startsWith('port receive') && line.includes(result.token))).toBe(true)
    const all = found.join('\n')
    for (const secret of [NUMBER, FORMATTED, MIDDLE, `"${CVC}"`, `:${CVC}`]) expect(all).not.toContain(secret)
    await page.close()
  })

  it('runs the card frame in a renderer process of its own, beside a cross-site page and beside a same-site one', async () => {
    // The vault asks for an origin-keyed agent cluster (a process of its own) unless the browser
    // says the embedding page is cross-site, which is in another process anyway (widget.ts).
    const sameSite = await startHost({ hostname: 'localhost' })
    const cdp = await world.browser.newBrowserCDPSession()
    try {
      for (const [host, fetchSite, agentCluster] of [[world.host, 'cross-site', undefined], [sameSite, 'same-site', '?1']] as const) {
        const keys = await world.vault.createProject({ origins: [host.origin] })
        const page = await world.browser.newPage()
        const frameAnswer = page.waitForResponse((r) => r.url().startsWith(`${world.vault.url}/frame/card?`))
        const body = `<tessera-card publishable-key="${keys.test.publishable_key}"></tessera-card>`
        await page.goto(host.page(`/process-${fetchSite}`, merchantPage(world.vault.url, body, EVENT_RECORDER)))
        const answer = await frameAnswer
        expect((await answer.request().allHeaders())['sec-fetch-site'], host.origin).toBe(fetchSite)
        expect(answer.headers()['origin-agent-cluster'], host.origin).toBe(agentCluster)
        await waitForEvent(page, 'tessera-ready')
        // An out-of-process frame is a target of its own; a frame in its parent's process is not.
        const { targetInfos } = await cdp.send('Target.getTargets')
        const frames = targetInfos.filter((t) => t.type === 'iframe' && t.url.startsWith(`${world.vault.url}/frame/card?`))
        expect(frames, host.origin).toHaveLength(1)
        await page.close()
      }
    } finally {
      await cdp.detach()
      await sameSite.close()
    }
  })

  it('ignores messages the host page posts outside the channel, and answers forged by another frame', async () => {
    evilHost.page('/spammer', `<!doctype html><title>evil</title><script>
      // Forged handshake answers to the host page, with nonces it cannot know, while the element connects.
      setInterval(() => {
        const channel = new MessageChannel();
        parent.postMessage({ tessera: 1, type: 'connect', nonce: 'A'.repeat(24) }, '*', [channel.port2]);
        parent.postMessage({ tessera: 1, type: 'fatal', nonce: 'B'.repeat(24), error: { type: 'api_error', code: 'frame_unavailable', message: 'forged' } }, '*');
      }, 5);
    </script>`)
    const connects = `<script>
      window.connects = { card: 0, others: 0 };
      window.addEventListener('message', (e) => {
        if (!e.data || e.data.type !== 'connect') return;
        const card = document.querySelector('tessera-card')?.shadowRoot?.querySelector('iframe')?.contentWindow;
        window.connects[e.source === card ? 'card' : 'others']++;
      });
    </script>`
    const body = `<iframe src="${evilHost.origin}/spammer"></iframe><tessera-card publishable-key="${world.keys.test.publishable_key}"></tessera-card>`
    const page = await world.browser.newPage()
    await page.goto(world.host.page('/forged', merchantPage(world.vault.url, body, connects + EVENT_RECORDER)))
    await waitForEvent(page, 'tessera-ready')
    const frame = await cardFrame(page)
    await typeCard(frame, { number: '4242424242424242', expiry: '1230', cvc: '123' })

    // Port messages and a second hello, posted straight to the card frame's window.
    await page.evaluate(() => {
      const target = document.querySelector('tessera-card')!.shadowRoot!.querySelector('iframe')!.contentWindow!
      target.postMessage({ type: 'clear' }, '*')
      target.postMessage({ type: 'configure', locale: 'ro', disabled: true, customerSession: null, style: {} }, '*')
      target.postMessage({ type: 'tokenize', id: 99 }, '*')
      target.postMessage({ tessera: 1, type: 'hello', nonce: 'D'.repeat(24) }, '*')
    })
    await page.waitForTimeout(300)

    expect(await frame.locator('#number').inputValue()).toBe('4242 4242 4242 4242')
    expect(await frame.locator('#number').isDisabled()).toBe(false)
    expect(await frame.locator('label[for=number]').textContent()).toBe('Card number')
    // One answer from the card frame to the element's hello, however many were forged around it.
    const seen = await page.evaluate(() => (window as any).connects)
    expect(seen.card).toBe(1)
    expect(seen.others).toBeGreaterThan(0)
    expect((await recordedEvents(page)).filter((e) => e.type === 'tessera-error')).toEqual([])
    expect(await tokenizeInPage(page)).toMatchObject({ ok: true, card: { last4: '4242' } })
    await page.close()
  })

  it('answers a hello from its parent window only, never from a sibling frame', async () => {
    evilHost.page('/sibling', `<!doctype html><title>evil</title><script>
      window.received = [];
      window.addEventListener('message', (e) => window.received.push(JSON.stringify(e.data)));
      window.forge = () => {
        for (let i = 0; i < parent.frames.length; i++) {
          if (parent.frames[i] !== window) parent.frames[i].postMessage({ tessera: 1, type: 'hello', nonce: 'C'.repeat(24) }, '*');
        }
        return parent.frames.length;
      };
    </script>`)
    // A light-DOM frame (frames inside the element's shadow root are not even in window.frames).
    const src = `${world.vault.url}/frame/card?key=${world.keys.test.publishable_key}&origin=${encodeURIComponent(world.host.origin)}`
    const html = `<!doctype html><title>raw</title><iframe id="card" src="${src}"></iframe><iframe id="evil" src="${evilHost.origin}/sibling"></iframe>
      <script>
        window.answers = [];
        const card = document.getElementById('card');
        window.addEventListener('message', (e) => { if (e.source === card.contentWindow) window.answers.push(e.data.type) });
        window.sayHello = () => card.contentWindow.postMessage({ tessera: 1, type: 'hello', nonce: 'E'.repeat(24) }, '${world.vault.origin}');
      </script>`
    const page = await world.browser.newPage()
    await page.goto(world.host.page('/raw', html))
    await page.waitForFunction(() => document.querySelectorAll('iframe').length === 2)
    const evil = page.frames().find((f) => f.url().startsWith(evilHost.origin))!
    const card = page.frames().find((f) => f.url().startsWith(world.vault.url))!
    // The frame announces itself, then builds its form once its parent says hello.
    await page.waitForFunction(() => (window as any).answers.length > 0)
    await evil.waitForFunction(() => typeof (window as any).forge === 'function')

    expect(await evil.evaluate(() => (window as any).forge())).toBe(2)
    await page.waitForTimeout(300)
    expect(await evil.evaluate(() => (window as any).received)).toEqual([])
    // Only the frame's content-free "loaded" announcement, no answer to the forged hello.
    expect(await page.evaluate(() => (window as any).answers)).toEqual(['loaded'])

    await page.evaluate(() => (window as any).sayHello())
    await page.waitForFunction(() => (window as any).answers.length > 1)
    expect(await page.evaluate(() => (window as any).answers)).toEqual(['loaded', 'connect'])
    await page.close()
  })
})
