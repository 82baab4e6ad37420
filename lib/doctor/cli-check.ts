// Check 1: the CLI — where it comes from ($ALIYUN_CLI or `aliyun` on PATH), that it runs, and that
// its version meets each selected skill's minimum (policy data).

import { accessSync, constants, statSync } from 'node:fs'
import { system } from '../command.js'
import { CliError } from '../errors.js'
import { compareVersions, parseVersion } from '../local-commands.js'
import { locateCli } from '../transport.js'
import type { Machine } from './machine.js'
import { fail, ok, type Check } from './report.js'

export const INSTALL_CLI = 'Install the aliyun CLI (https://help.aliyun.com/zh/cli/) and put `aliyun` on PATH, or set ALIYUN_CLI to the path of its binary.'

function notExecutable(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return 'it is not a file'
    accessSync(path, constants.X_OK)
    return undefined
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : 'it is not executable'
  }
}

export async function checkCli(m: Machine): Promise<Check[]> {
  const where = await locateCli(m.env)
  if (!where.path) return [fail('cli', null, "No aliyun CLI: ALIYUN_CLI is not set and there is no 'aliyun' on PATH.", INSTALL_CLI)]
  if (where.from === 'ALIYUN_CLI') {
    const why = notExecutable(where.path)
    if (why) return [fail('cli', null, `ALIYUN_CLI is set to ${where.path}, but ${why}.`, `Set ALIYUN_CLI to the path of the aliyun binary, or unset it and put \`aliyun\` on PATH.`)]
  }
  const source = where.from === 'PATH' ? `${where.path} (found on PATH)` : `${where.path} (from ALIYUN_CLI)`
  let out: string
  try {
    out = await m.local.text({ argv: system(['version']), label: 'aliyun version' })
  } catch (e) {
    if (!(e instanceof CliError)) throw e
    const said = e.message.split('\n')[0]
    // CLIs up to 3.4.11 print this (and exit 0) for every command when config.json cannot be loaded.
    if (e.kind === 'configuration')
      return [fail('cli', null, `${source} cannot load its configuration: \`aliyun version\` said ${JSON.stringify(said)}.`, 'Repair or move away ~/.aliyun/config.json (or the file --config-path names), then run `aliyun configure` and doctor again.')]
    return [fail('cli', null, `${source} does not run: \`aliyun version\` failed (${said}).`, 'Reinstall the aliyun CLI (https://help.aliyun.com/zh/cli/), or point ALIYUN_CLI at a working binary.')]
  }
  const version = parseVersion(out)
  if (!version)
    return [fail('cli', null, `${source} printed ${JSON.stringify(out.trim().slice(0, 60))} for \`aliyun version\`, not a version.`, 'Make sure ALIYUN_CLI or PATH leads to the Alibaba Cloud CLI, not another program named aliyun.')]
  m.found.cliVersion = version
  return [
    ok('cli', null, `aliyun ${version}: ${source}`),
    ...m.skills.map((s) => {
      const min = s.policy.min_cli_version
      return compareVersions(version, min) >= 0
        ? ok('cli version', s.name, `${version} meets ${min}, the minimum for ${s.name}`)
        : fail('cli version', s.name, `aliyun ${version} is older than ${min}, the minimum for ${s.name}.`, `Upgrade the aliyun CLI to ${min} or later (https://help.aliyun.com/zh/cli/).`)
    }),
  ]
}
