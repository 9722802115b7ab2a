/** How an SSE body may begin: a field (`event:`, `data:`, `id:`, `retry:`) or a comment (`:`). */
const SSE_STARTS = ['event:', 'data:', 'id:', 'retry:', ':'];

/**
 * What a body whose type was not declared holds, from its first bytes: `sse`, `json` (anything that does
 * not begin like SSE, which the JSON reader then judges), or undefined while too few bytes have come.
 */
export function sniffBodyFormat(chunks: Uint8Array[]): 'sse' | 'json' | undefined {
  // Enough for the longest start, after a byte order mark and a few blank lines.
  const head = new TextDecoder().decode(Buffer.concat(chunks).subarray(0, 64)).replace(/^\uFEFF/, '').trimStart();
  if (SSE_STARTS.some((start) => head.startsWith(start))) return 'sse';
  if (SSE_STARTS.some((start) => start.startsWith(head)) && head.length < 64) return undefined;
  return 'json';
}
