// Check 3: each product a selected skill calls in plugin mode has its plugin installed (`aliyun
// plugin list`), and where `aliyun plugin show` names the API version the plugin defaults to, it is
// the one whose response shapes the skills read (policy data `doctor.api_versions`).

import { system } from '../command.js'
import { CliError } from '../errors.js'
import { compareVersions, parsePluginList, parsePluginShow, pluginFor, type PluginRow } from '../local-commands.js'
import { pluginProducts, type Machine } from './machine.js'
import { fail, ok, skipped, warn, type Check } from './report.js'

/** The plugin's per-product API version variable (aliyun-cli "use plugins" doc). */
export const apiVersionVariable = (product: string) => `ALIBABA_CLOUD_${product.toUpperCase().replace(/-/g, '_')}_API_VERSION`

const reads = (who: string) => (who.includes(',') ? 'read' : 'reads')

export async function checkPlugins(m: Machine): Promise<Check[]> {
  const products = pluginProducts(m.skills)
  if (products.size === 0) return []
  let rows: PluginRow[]
  try {
    rows = parsePluginList(await m.local.text({ argv: system(['plugin', 'list']), label: 'plugin list' }))
  } catch (e) {
    if (!(e instanceof CliError)) throw e
    return [fail('plugins', [...new Set([...products.values()].flat())].join(', '), `\`aliyun plugin list\` failed: ${e.message.split('\n')[0]}`, 'Plugin mode needs aliyun CLI 3.3.0 or later; upgrade it (https://help.aliyun.com/zh/cli/).')]
  }
  m.found.plugins = rows
  const out: Check[] = []
  for (const [product, skills] of products) {
    const who = skills.join(', ')
    const plugin = pluginFor(rows, product)
    if (!plugin) {
      out.push(fail(`plugin ${product}`, who, `No ${product} plugin in \`aliyun plugin list\`; ${who} call${skills.length > 1 ? '' : 's'} ${product} in plugin mode, so its commands were not validated.`, `aliyun plugin install --names ${product}`))
      continue
    }
    out.push(ok(`plugin ${product}`, who, `${plugin.name} ${plugin.version} is installed.`))
    const expected = m.doctor.api_versions[product]
    if (expected) out.push(await apiVersion(m, product, who, plugin, expected))
  }
  return out
}

async function apiVersion(m: Machine, product: string, who: string, plugin: PluginRow, expected: string): Promise<Check> {
  const name = `plugin ${product} api version`
  const since = m.doctor.since.plugin_show
  if (m.found.cliVersion && compareVersions(m.found.cliVersion, since) < 0)
    return skipped(name, who, `aliyun ${m.found.cliVersion} has no \`plugin show\` (added in ${since}), so it cannot say which API version ${plugin.name} defaults to; ${who} ${reads(who)} ${product} ${expected} responses.`, `Upgrade the aliyun CLI to ${since} or later to have this checked.`)
  let info
  try {
    info = parsePluginShow(await m.local.text({ argv: system(['plugin', 'show'], { name: plugin.name }), label: `plugin show --name ${plugin.name}` }))
  } catch (e) {
    if (!(e instanceof CliError)) throw e
    return skipped(name, who, `\`aliyun plugin show --name ${plugin.name}\` failed (${e.message.split('\n')[0]}), so the plugin's default API version is unknown.`, null)
  }
  if (!info.apiDefault) return skipped(name, who, `${plugin.name} ${plugin.version} does not declare its API versions; ${who} ${reads(who)} ${product} ${expected} responses.`, null)
  if (info.apiDefault === expected) return ok(name, who, `${plugin.name} defaults to ${expected}, the version whose responses ${who} ${reads(who)}.`)
  const variable = apiVersionVariable(product)
  if (m.env[variable] === expected) return ok(name, who, `${plugin.name} defaults to ${info.apiDefault}; ${variable}=${expected} selects the version ${who} ${reads(who)}.`)
  const supported = info.apiSupported.length ? ` (it supports ${info.apiSupported.join(', ')})` : ''
  const detail = `${plugin.name} defaults to API version ${info.apiDefault}${supported}, but ${who} ${reads(who)} ${product} ${expected} response shapes; other shapes fail as ResponseShapeDrift.`
  return info.apiSupported.length && !info.apiSupported.includes(expected)
    ? warn(name, who, detail, `This plugin version cannot serve ${expected}: install one that does (aliyun plugin install --names ${product} --version <v>).`)
    : warn(name, who, detail, `Set ${variable}=${expected} in the environment the harness runs in (the CLI passes it to the plugin).`)
}
