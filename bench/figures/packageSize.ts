/**
 * Package: what `npm run package` produces, against the 400 KB budget: its size, and that it holds
 * only what the installed extension runs or shows (no source maps, tests, sources or dependencies).
 */
import * as fs from 'node:fs';
import { bundles } from '../lib/bundles';
import type { BenchContext, Figure } from '../lib/figure';
import { formatBytes, formatRatio } from '../lib/report';
import { zipEntries, type ZipEntry } from '../lib/zipEntries';

const BUDGET_BYTES = 400 * 1024;

/** Files a package must not carry, with the reason shown when one does. */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/\.map$/, 'source map'],
  [/(^|\/)(src|test|tests|bench|scripts)\//, 'source or test folder'],
  [/\.(ts|tsx|mts|cts)$/, 'TypeScript source'],
  [/(^|\/)node_modules\//, 'dependency'],
  [/(^|\/)\.[^/]+/, 'dotfile'],
];

/** Each entry of the extension that should not ship, and why. */
export function unwantedEntries(entries: readonly ZipEntry[]): string[] {
  return entries
    .map((entry) => entry.name.replace(/^extension\//, ''))
    .flatMap((name) => FORBIDDEN.filter(([pattern]) => pattern.test(name)).map(([, why]) => `${name} (${why})`));
}

export const packageSize: Figure = {
  name: 'package',
  async run(context: BenchContext) {
    const { vsix } = await bundles(context);
    if (!vsix) {
      return {
        name: this.name,
        rows: [{ figure: 'package (.vsix)', ours: 'not built', reference: `budget ${formatBytes(BUDGET_BYTES)}`, ratio: '—', goal: '≤ 400 KB, no maps/tests/sources', pass: null }],
        details: {},
        skipped: 'a smoke run does not package (vsce takes longer than the whole smoke run)',
      };
    }
    const size = fs.statSync(vsix).size;
    const entries = zipEntries(fs.readFileSync(vsix));
    const unwanted = unwantedEntries(entries);
    return {
      name: this.name,
      rows: [
        {
          figure: `package (.vsix, ${entries.length} files)`,
          ours: formatBytes(size),
          reference: `budget ${formatBytes(BUDGET_BYTES)}`,
          ratio: formatRatio(size / BUDGET_BYTES),
          goal: '≤ 400 KB',
          pass: size <= BUDGET_BYTES,
        },
        {
          figure: 'package contents',
          ours: unwanted.length === 0 ? 'clean' : `${unwanted.length} unwanted`,
          reference: `${entries.length} files`,
          ratio: '—',
          goal: 'no maps, tests or sources',
          pass: unwanted.length === 0,
        },
      ],
      details: {
        bytes: size,
        unwanted,
        files: entries.map(({ name, bytes, compressedBytes }) => ({ name, bytes, compressedBytes })).sort((a, b) => b.compressedBytes - a.compressedBytes),
      },
    };
  },
};
