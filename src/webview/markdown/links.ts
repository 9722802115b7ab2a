/**
 * Which URLs model output may link to. Rendered links are only ever opened by the host on a click, and
 * only for http(s); everything that could run code or reach local resources is refused here already.
 */

/**
 * Schemes a rendered `href` may have. Not `mailto:` either: a link the model wrote should not fill in
 * an email for the user to send.
 */
const ALLOWED_SCHEMES: ReadonlySet<string> = new Set(['http', 'https']);

/**
 * Whether `url` may be a link's `href`: an `http:` or `https:` URL, or a `#fragment`.
 * Refused: every other scheme (`mailto:`, `javascript:`, `vbscript:`, `data:`, `file:`, `command:`, `vscode:`,
 * `vscode-webview:` …) and every other relative URL (paths, `//host`), which would resolve against
 * the webview's own origin.
 *
 * The URL is read as a browser reads an `href`: the WHATWG URL parser first removes ASCII tabs and
 * newlines anywhere and trims C0 controls and spaces at both ends, and only then looks for a scheme
 * (`[A-Za-z][A-Za-z0-9+.-]*:`). So `java\tscript:` is seen as `javascript:` and refused, and an
 * entity- or percent-encoded scheme is not a scheme at all (a relative URL, also refused).
 */
export function isAllowedHref(url: string): boolean {
  // eslint-disable-next-line no-control-regex
  const cleaned = url.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (cleaned.startsWith('#')) return true;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(cleaned);
  return scheme !== null && ALLOWED_SCHEMES.has(scheme[1].toLowerCase());
}
