/**
 * The environment an MCP server process gets: its `envFile`, then its `env` (which wins), without
 * the variables this extension withholds. The SDK adds only a few safe ones of the editor's own
 * (PATH, HOME, USER, SHELL, TERM…), so the editor's `SONNET_API_KEY` is never inherited either.
 */
import { WITHHELD_VARIABLES } from './mcpVariables';

/** A dotenv file: `NAME=value` lines, `export` allowed, `#` comments, quoted values. */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][\w.]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const [, name, raw] = match;
    const quoted = /^(["'])(.*)\1$/.exec(raw);
    if (quoted) env[name] = quoted[1] === '"' ? quoted[2].replace(/\\n/g, '\n') : quoted[2];
    else env[name] = raw.replace(/\s+#.*$/, '');
  }
  return env;
}

/** The variables to set, and the withheld names the configuration asked for (to log). */
export function serverEnvironment(fromFile: Record<string, string>, env: Record<string, string>): { env: Record<string, string>; withheld: string[] } {
  const merged = { ...fromFile, ...env };
  const withheld = Object.keys(merged).filter((name) => WITHHELD_VARIABLES.has(name));
  for (const name of withheld) delete merged[name];
  return { env: merged, withheld };
}
