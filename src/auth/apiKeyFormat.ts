/** Why `value` cannot be an API key for this provider, or undefined if it can. Pure, for tests. */
export function apiKeyProblem(value: string): string | undefined {
  const key = value.trim();
  if (key === '') return 'Paste your API key.';
  if (!key.startsWith('sk-')) return 'API keys for this provider start with "sk-". Check that you copied the whole key.';
  if (/\s/.test(key)) return 'The key contains spaces or line breaks. Copy it again, as one piece.';
  if (key.length < 8) return 'This key is too short. Copy it again, as one piece.';
  return undefined;
}
