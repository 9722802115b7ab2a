/**
 * Which links from the Chat view the host opens. The page is untrusted (it shows model output), so its
 * `openLink` requests are checked again here, whatever the renderer already refused.
 */

const EXTERNAL_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:']);

/** The URL to open for `href` if it is an absolute http(s) URL; undefined otherwise. */
export function externalUrl(href: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return undefined;
  }
  return EXTERNAL_PROTOCOLS.has(url.protocol) ? url.href : undefined;
}
