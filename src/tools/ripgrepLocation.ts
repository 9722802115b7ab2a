/**
 * Where VS Code keeps its ripgrep, below `vscode.env.appRoot`: desktop builds ship `@vscode/ripgrep`
 * (inside `node_modules.asar.unpacked` when packed into an asar), VS Code 1.139 and code-server
 * `@vscode/ripgrep-universal`, with one binary per platform. Node only.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export function ripgrepCandidates(appRoot: string, platform: string = process.platform, arch: string = process.arch): string[] {
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  return ['node_modules', 'node_modules.asar.unpacked'].flatMap((modules) => [
    path.join(appRoot, modules, '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, exe),
    path.join(appRoot, modules, '@vscode', 'ripgrep', 'bin', exe),
  ]);
}

/** The first candidate that exists, or undefined. */
export function findRipgrep(appRoot: string): string | undefined {
  return ripgrepCandidates(appRoot).find((candidate) => existsSync(candidate));
}
