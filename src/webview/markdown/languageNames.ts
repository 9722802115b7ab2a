import { vscodeLanguageId } from './highlight';

/** Languages as people name them, by VS Code language id, where the id is not already the name. */
const NAMES: Record<string, string> = {
  typescript: 'TypeScript', typescriptreact: 'TypeScript React', javascript: 'JavaScript', javascriptreact: 'JavaScript React',
  python: 'Python', shellscript: 'Shell', go: 'Go', rust: 'Rust', c: 'C', cpp: 'C++', csharp: 'C#', java: 'Java',
  kotlin: 'Kotlin', swift: 'Swift', ruby: 'Ruby', php: 'PHP', html: 'HTML', xml: 'XML', css: 'CSS', scss: 'SCSS',
  less: 'Less', json: 'JSON', jsonc: 'JSON with Comments', yaml: 'YAML', toml: 'TOML', markdown: 'Markdown', sql: 'SQL',
  diff: 'Diff', powershell: 'PowerShell', makefile: 'Makefile', dockerfile: 'Dockerfile', lua: 'Lua', dart: 'Dart',
  scala: 'Scala', haskell: 'Haskell', elixir: 'Elixir', r: 'R', perl: 'Perl', bat: 'Batch', vue: 'Vue', graphql: 'GraphQL',
};

/**
 * The name of a code block's language as a person says it (`ts` → "TypeScript"), for labels such as
 * "Copy TypeScript code, block 2"; a name the table does not know is given as the fence wrote it, and a
 * block without a language (or in plain text) has none.
 */
export function languageName(lang: string): string | undefined {
  const id = vscodeLanguageId(lang);
  if (id === 'plaintext') return undefined;
  return Object.hasOwn(NAMES, id) ? NAMES[id] : lang;
}
