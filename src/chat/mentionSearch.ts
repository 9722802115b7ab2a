/**
 * What the @ picker offers for what the user typed: workspace files and folders matched fuzzily, the
 * recently opened first, then the special mentions. Pure: the host supplies the paths and the recency.
 */
import { mentionable, SPECIAL_MENTION_NAMES, SPECIAL_MENTIONS } from '../shared/mentions';
import type { MentionItemView } from '../shared/protocol';

/** Files and folders the picker lists at most: enough to choose from, few enough to read. */
export const MAX_PICKER_PATHS = 30;

/** Added to a recently opened file's score, less for older ones, so it leads unless it barely matches. */
const RECENT_BONUS = 60;

/**
 * How well `query` matches `path` (higher is better), or undefined when its characters do not all
 * appear in order. Case is ignored. A match in the last segment (the name) counts most: the name
 * itself, then a name that starts with the query, then one that holds it, then the whole path holding
 * it, then the characters spread out, each at a segment or word start counting more.
 */
export function fuzzyScore(query: string, path: string): number | undefined {
  if (query === '') return 0;
  const q = query.toLowerCase();
  const lower = path.toLowerCase();
  const target = lower.endsWith('/') ? lower.slice(0, -1) : lower;
  const name = target.slice(target.lastIndexOf('/') + 1);
  const shorter = -target.length / 100;
  if (name.startsWith(q)) {
    // The name itself, with or without its extension.
    const rest = name.slice(q.length);
    return (rest === '' || (rest.startsWith('.') && !rest.includes('.', 1)) ? 200 : 150) + shorter;
  }
  if (name.includes(q)) return 120 + shorter;
  const at = target.indexOf(q);
  if (at >= 0) return 100 - at / 100 + (at === 0 || /[/._-]/.test(target[at - 1]) ? 10 : 0) + shorter;
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of q) {
    const found = target.indexOf(char, from);
    if (found < 0) return undefined;
    if (found === previous + 1) score += 3;
    if (found === 0 || /[/._\-\s]/.test(target[found - 1])) score += 4;
    score += 1;
    previous = found;
    from = found + 1;
  }
  return score + shorter;
}

export interface PathEntry {
  /** As mentions name it: relative, with the folder's name first in a multi-root workspace; folders end with `/`. */
  path: string;
  kind: 'file' | 'folder';
}

/**
 * The picker's entries for `query`: the matching paths best first (the recently opened ahead, in
 * their order, unless they match far worse), at most `MAX_PICKER_PATHS`, then the matching special
 * mentions. `recent` holds paths, most recent first.
 */
export function mentionItems(query: string, paths: readonly PathEntry[], recent: readonly string[]): MentionItemView[] {
  const recency = new Map(recent.map((path, rank) => [path, rank]));
  // The best few kept in order as the paths go by: sorting every path would cost more than scoring them.
  const best: Array<{ entry: PathEntry; score: number }> = [];
  const worse = (a: { entry: PathEntry; score: number }, b: { entry: PathEntry; score: number }) => a.score < b.score || (a.score === b.score && a.entry.path > b.entry.path);
  for (const entry of paths) {
    const score = fuzzyScore(query, entry.path);
    if (score === undefined || !mentionable(entry.path)) continue;
    const rank = recency.get(entry.path);
    const scored = { entry, score: score + (rank === undefined ? 0 : RECENT_BONUS - Math.min(rank, RECENT_BONUS / 2)) };
    if (best.length === MAX_PICKER_PATHS && !worse(best[best.length - 1], scored)) continue;
    let at = best.length;
    while (at > 0 && worse(best[at - 1], scored)) at--;
    best.splice(at, 0, scored);
    if (best.length > MAX_PICKER_PATHS) best.pop();
  }
  const items: MentionItemView[] = best.map(({ entry }) => ({ kind: entry.kind, value: entry.path, detail: entry.kind === 'folder' ? 'folder' : '' }));
  for (const name of SPECIAL_MENTION_NAMES) {
    if (fuzzyScore(query, name) !== undefined) items.push({ kind: 'special', value: name, detail: SPECIAL_MENTIONS[name] });
  }
  return items;
}

/** The folders the files are in, each once, as `PathEntry`s ending with `/`. */
export function foldersOf(files: readonly string[]): PathEntry[] {
  const folders = new Set<string>();
  for (const file of files) {
    for (let cut = file.indexOf('/'); cut > 0; cut = file.indexOf('/', cut + 1)) folders.add(file.slice(0, cut + 1));
  }
  return [...folders].map((path) => ({ path, kind: 'folder' }));
}
