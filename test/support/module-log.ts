// `node --import <this file> …` with MODULE_LOG=<file>: every module the process loads — ES modules
// through a resolve hook, CommonJS ones from require.cache at exit — is appended to that file, one
// URL or path a line. The start-up tests use it to see what `--help` and a JSON run load.

import { appendFileSync } from 'node:fs'
import { createRequire, register } from 'node:module'

const file = process.env.MODULE_LOG
if (file) {
  register('./module-log-hooks.js', import.meta.url, { data: { file } })
  const require = createRequire(import.meta.url)
  process.on('exit', () => appendFileSync(file, Object.keys(require.cache).join('\n') + '\n'))
}
