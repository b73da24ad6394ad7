// Runs the demo shop alone: `npx tsx demo/shop/main.ts [--port 3000] [--host 127.0.0.1]
// [--vault http://127.0.0.1:8787] [--projects ./data/demo-projects.json]`. Prints one JSON line
// `{"url": ..., "port": ...}` on stdout when listening, so a parent process can find it.
import { runShopFromArgs } from './cli.js'

await runShopFromArgs(process.argv.slice(2))
