/**
 * Where a path the model names may point: inside the open workspace folders, and nowhere else. This
 * part is pure string work; symlinks are followed on the real file system in `confine.ts`, and the
 * rules below are applied to both the path as typed and the path it leads to.
 */

/** A workspace folder as the resolver needs it; index-aligned with the host's folder list. */
export interface WorkspaceRootName {
  name: string;
}

export type ResolvedPath =
  | {
      ok: true;
      rootIndex: number;
      /** Path segments below the root; empty for the root itself. */
      segments: string[];
      /** How tools show the path: workspace-relative, with the folder name first in a multi-root workspace. */
      display: string;
    }
  | { ok: false; error: string };

const REFUSALS: Array<[RegExp, string]> = [
  [/\0/, 'contains a NUL character'],
  [/^~/, 'starts with ~ (a home directory); tools only reach the workspace folders'],
  [/^[\\/]{2}/, 'is a network (UNC) path; tools only reach the workspace folders'],
  [/^[a-z]:/i, 'is an absolute Windows path; give it relative to the workspace folder'],
  [/^[a-z][a-z0-9+.-]+:/i, 'is a URI; give a workspace-relative path instead'],
  [/^[\\/]/, 'is absolute; give it relative to the workspace folder, e.g. src/app.ts'],
];

/**
 * Resolves a workspace-relative path. Refused: absolute paths, `~`, other schemes, UNC and drive paths,
 * NUL bytes, and any `..` segment (even one that would stay inside: the model gets one clear rule).
 * Backslashes count as separators, so `..\\x` is caught on every platform.
 */
export function resolveWorkspacePath(input: unknown, roots: readonly WorkspaceRootName[]): ResolvedPath {
  if (typeof input !== 'string') return { ok: false, error: 'The path must be a string.' };
  if (roots.length === 0) return { ok: false, error: 'No workspace folder is open, so there are no files to work with.' };
  const refusal = REFUSALS.find(([pattern]) => pattern.test(input));
  if (refusal) return { ok: false, error: `The path ${JSON.stringify(input)} ${refusal[1]}.` };

  const segments = input.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.');
  const bad = segments.find((segment) => /^[. ]+$/.test(segment) || segment.includes(':'));
  if (bad !== undefined) {
    const why = bad.includes(':') ? 'a colon, which names a drive or a stream on Windows' : '"..", which would leave the folder';
    return { ok: false, error: `The path ${JSON.stringify(input)} contains ${why}. Paths must stay inside the workspace folders.` };
  }

  if (roots.length === 1) return { ok: true, rootIndex: 0, segments, display: displayPath(roots, 0, segments) };
  const rootIndex = roots.findIndex((root) => root.name === segments[0]);
  if (rootIndex < 0) {
    const names = roots.map((root) => root.name).join(', ');
    return { ok: false, error: `In this multi-root workspace a path starts with a folder name (${names}); ${JSON.stringify(input)} does not.` };
  }
  const below = segments.slice(1);
  return { ok: true, rootIndex, segments: below, display: displayPath(roots, rootIndex, below) };
}

/** The path as tools show it: `folder/rest` when there are several folders. */
export function displayPath(roots: readonly WorkspaceRootName[], rootIndex: number, segments: readonly string[]): string {
  const parts = roots.length > 1 ? [roots[rootIndex].name, ...segments] : segments;
  return parts.join('/') || '.';
}

/**
 * Environment files come under many names (`.env.local`, `.env_local`, `.envrc` for direnv, a
 * `.envs/` folder of them), so anything named `.env…` counts, file or folder; names that merely
 * contain `env` (`environment.ts`, `.editorconfig`) do not.
 */
const ENVIRONMENT_NAME = /^\.env/i;

const SECRET_NAMES: Array<[RegExp, string]> = [
  [/\.(pem|key|p12|pfx|keystore|jks)$/i, 'a key or certificate file'],
  [/^id_(rsa|dsa|ecdsa|ed25519)/i, 'an SSH key'],
  [/^\.(netrc|pgpass|npmrc|pypirc)$/i, 'a credentials file'],
  [/^(credentials|secrets?)(\.[a-z]+)?$/i, 'a credentials file'],
  // `/proc/<pid>/environ`: a process's environment, the editor's API key included.
  [/^environ$/i, "a process's environment"],
  [/^\.git-credentials$/i, 'a credentials file'],
];

/**
 * Why a file probably holds secrets (and so needs the user's consent to be read), or undefined. Git's
 * own folder counts too: its config and hooks are no business of the model.
 */
export function secretReason(segments: readonly string[]): string | undefined {
  if (insideGit(segments)) return "Git's internal folder";
  if (segments.some((segment) => segment.toLowerCase() === '.ssh')) return 'an SSH folder';
  if (segments.some((segment) => ENVIRONMENT_NAME.test(segment))) return 'an environment file';
  const name = segments[segments.length - 1] ?? '';
  return SECRET_NAMES.find(([pattern]) => pattern.test(name))?.[1];
}

/** Whether a path is in (or is) Git's folder, whose hooks and config Git runs as commands. */
export function insideGit(segments: readonly string[]): boolean {
  return segments.some((segment) => segment.toLowerCase() === '.git');
}
