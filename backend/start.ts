// `npm start`: the vault on its default port with a demo project whose keys are kept in the
// data folder (mode 0600) and printed, so a newcomer can try the API at once.
import fs from 'node:fs'
import path from 'node:path'
import { serverConfig, stopOnSignal } from './cli.js'
import { startVault } from './vault.js'

export const DEMO_ORIGIN = 'http://localhost:3000'
const DEMO_KEYS_FILE = 'demo-project.json'

export async function start(args: string[]): Promise<void> {
  const config = serverConfig(args)
  const running = await startVault(config)
  stopOnSignal([running])
  const file = path.join(config.dataDir, DEMO_KEYS_FILE)
  let demo: { project_id: string; test: { publishable_key: string; secret_key: string } }
  if (fs.existsSync(file)) {
    demo = JSON.parse(fs.readFileSync(file, 'utf8'))
  } else {
    const created = await running.vault.projects.create({ name: 'Demo shop', allowedOrigins: [DEMO_ORIGIN] })
    demo = { project_id: created.project.id, test: created.keys.test }
    fs.writeFileSync(file, JSON.stringify(demo, null, 2) + '\n', { mode: 0o600 })
  }
  process.stdout.write(
    `\nTessera vault   ${running.url}   (JWKS: ${running.url}/v1/jwks)\n` +
      `Demo project    ${demo.project_id}\n  publishable   ${demo.test.publishable_key}\n  secret        ${demo.test.secret_key}\n` +
      `Press Ctrl-C to stop.\n`,
  )
}
