/**
 * The bundles the figures load. A full run uses what ships: `npm run package` builds dist/ for
 * production and packs sonnet-chat.vsix (the package figure reads it). A smoke run leaves dist/ and
 * the .vsix alone and runs the same production build into its scratch folder, in a second.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { BenchContext } from './figure';

export interface Bundles {
  /** Holds extension.js, webview.js and webview.css, and the codicon files. */
  dist: string;
  /** The packaged extension; absent in a smoke run. */
  vsix?: string;
}

const cache = new WeakMap<BenchContext, Promise<Bundles>>();

export function bundles(context: BenchContext): Promise<Bundles> {
  let built = cache.get(context);
  if (!built) {
    built = context.smoke ? bundleForSmoke(context) : packageExtension(context);
    cache.set(context, built);
  }
  return built;
}

async function packageExtension(context: BenchContext): Promise<Bundles> {
  context.log('npm run package');
  await run('npm', ['run', 'package'], context.root);
  return { dist: path.join(context.root, 'dist'), vsix: path.join(context.root, 'sonnet-chat.vsix') };
}

async function bundleForSmoke(context: BenchContext): Promise<Bundles> {
  const dist = path.join(context.scratch, 'dist');
  await run(process.execPath, ['esbuild.mjs', '--production', '--outdir', dist], context.root);
  // Laid out as installed: the manifest beside dist/ (activation reads its contributions).
  fs.copyFileSync(path.join(context.root, 'package.json'), path.join(context.scratch, 'package.json'));
  return { dist };
}

/** A browser script of the bench itself (the page driver, the naive page), bundled in memory. */
export async function browserScript(entry: string): Promise<string> {
  const result = await esbuild.build({ entryPoints: [entry], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'error' });
  return result.outputFiles[0].text;
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (data) => (output += data));
    child.stderr.on('data', (data) => (output += data));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output.slice(-3000)}`))));
  });
}
