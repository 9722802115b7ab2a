/**
 * `edit_file` as text work: where in the current text the change goes and what the text becomes. The
 * host turns the range into a `WorkspaceEdit` of just that span, so Undo and the cursor behave as for
 * a person's edit.
 */
import { splitLines } from './format';

export interface EditRequest {
  oldText?: string;
  startLine?: number;
  endLine?: number;
  newText: string;
}

export interface PlannedEdit {
  /** Offsets into the current text of the span replaced. */
  start: number;
  end: number;
  /** The replacement, with the document's line breaks. */
  replacement: string;
  /** The whole text after the change, for the diff. */
  proposed: string;
  /** 1-based lines of the current text the change touches, for the result message. */
  firstLine: number;
  lastLine: number;
}

export type EditPlan = { ok: true; edit: PlannedEdit } | { ok: false; error: string };

export function planEdit(text: string, request: EditRequest, path: string): EditPlan {
  const byText = request.oldText !== undefined;
  const byLines = request.startLine !== undefined || request.endLine !== undefined;
  if (byText && byLines) return fail('Give either oldText or startLine/endLine, not both.');
  if (!byText && !byLines) return fail('Say what to replace: oldText, or startLine and endLine.');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const withEol = (value: string) => (eol === '\n' ? value.replace(/\r\n/g, '\n') : value.replace(/\r?\n/g, '\r\n'));
  return byText ? planByText(text, withEol(request.oldText!), withEol(request.newText), path) : planByLines(text, request, withEol(request.newText), eol, path);
}

function planByText(text: string, oldText: string, newText: string, path: string): EditPlan {
  if (oldText === '') return fail('oldText is empty; to add text, replace a nearby line with itself plus the new lines.');
  const first = text.indexOf(oldText);
  if (first < 0) {
    return fail(`oldText was not found in ${path}. Read the file again and copy the text exactly, whitespace and indentation included.`);
  }
  const occurrences = [first];
  for (let at = text.indexOf(oldText, first + 1); at >= 0 && occurrences.length < 10; at = text.indexOf(oldText, at + 1)) occurrences.push(at);
  if (occurrences.length > 1) {
    const lines = occurrences.map((offset) => lineOf(text, offset)).join(', ');
    return fail(`oldText occurs ${occurrences.length} times in ${path} (lines ${lines}); include more of the surrounding lines so it occurs once.`);
  }
  return planned(text, first, first + oldText.length, newText);
}

function planByLines(text: string, request: EditRequest, newText: string, eol: string, path: string): EditPlan {
  const { startLine, endLine } = request;
  if (startLine === undefined || endLine === undefined) return fail('A line range needs both startLine and endLine.');
  const total = splitLines(text).length;
  if (endLine < startLine) return fail(`endLine (${endLine}) is before startLine (${startLine}).`);
  if (endLine > total) return fail(`${path} has ${total} line${total === 1 ? '' : 's'}; endLine ${endLine} is past its end.`);
  const start = offsetOfLine(text, startLine);
  // The range ends before the line break of endLine, which stays; so a final break of newText is dropped.
  const next = offsetOfLine(text, endLine + 1);
  const end = next - lineBreakBefore(text, next);
  const replacement = newText.endsWith(eol) ? newText.slice(0, -eol.length) : newText;
  return planned(text, start, end, replacement);
}

function planned(text: string, start: number, end: number, replacement: string): EditPlan {
  const proposed = text.slice(0, start) + replacement + text.slice(end);
  return { ok: true, edit: { start, end, replacement, proposed, firstLine: lineOf(text, start), lastLine: lineOf(text, Math.max(start, end - 1)) } };
}

function fail(error: string): EditPlan {
  return { ok: false, error };
}

/** 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Offset where 1-based `line` starts; the text's length for the line after the last. */
function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset;
}

/** Length of the line break that ends just before `offset` (0, 1 or 2). */
function lineBreakBefore(text: string, offset: number): number {
  if (text[offset - 1] !== '\n') return 0;
  return text[offset - 2] === '\r' ? 2 : 1;
}
