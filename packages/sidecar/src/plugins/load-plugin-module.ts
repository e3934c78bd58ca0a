import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginError } from '../plugin-api/errors.ts';
import type { DucksidePlugin } from '../plugin-api/plugin.ts';
import { assertPlugin } from './plugin-host.ts';

/**
 * Imports a user plugin module: a path (relative to `cwd`) or a package name. The module's default export (or
 * its `plugin` export) is a plugin object, or a function returning one (sync or async).
 * @throws PluginError when the module cannot be imported or exports no plugin.
 * @example const plugin = await loadPluginModule('./my-plugin.js');
 */
export async function loadPluginModule(
  specifier: string,
  cwd = process.cwd(),
): Promise<DucksidePlugin<unknown>> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  const url = isPath ? pathToFileURL(resolve(cwd, specifier)).href : specifier;
  let module: Record<string, unknown>;
  try {
    module = await import(url);
  } catch (error) {
    throw new PluginError(specifier, `cannot import the module: ${(error as Error)?.message ?? error}`, {
      cause: error,
    });
  }
  let exported = module.default ?? module.plugin;
  if (typeof exported === 'function') {
    try {
      exported = await (exported as () => unknown)();
    } catch (error) {
      throw new PluginError(specifier, `the plugin factory failed: ${(error as Error)?.message}`, {
        cause: error,
      });
    }
  }
  if (exported === undefined) {
    throw new PluginError(specifier, 'the module has no default export (or `plugin` export)');
  }
  assertPlugin(exported, specifier);
  return exported;
}
