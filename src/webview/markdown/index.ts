/**
 * The Chat view's markdown renderer: model output → sanitized HTML, whole or as it streams in.
 * Pure TypeScript (no DOM, no `vscode`), so the webview and Node's unit tests run the same code.
 *
 * - {@link renderMarkdown}: the HTML of a whole message.
 * - {@link StreamingMarkdown}: the same HTML, built incrementally from append-only deltas.
 * - {@link extractCodeBlocks}: the raw code behind each code block's toolbar (`data-code-index`), so the
 *   page never reads code back out of highlighted HTML; {@link vscodeLanguageId} for "Open in new editor".
 */
export { CODE_BLOCK_CLOSING, type CodeAction, type CodeBlock, extractCodeBlocks, renderMarkdown } from './render';
export { type MarkdownUpdate, StreamingMarkdown } from './streaming';
export { isAllowedHref } from './links';
export { vscodeLanguageId } from './highlight';
