// The Chat view's look, measured in the DOM: in Light Modern, Dark Modern and both High Contrast
// themes, at the default and at the narrowest side bar width, a conversation with a table, code
// blocks, a tool card, an error card and the header keeps its layout (nothing sticks out, words stay
// whole, the code toolbar covers no code, edges are visible). A failed test, or SONNET_SCREENSHOTS=1,
// saves a screenshot of the view for each theme and width into test-results/look/.

import assert from 'node:assert/strict';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { providerError, sseReply } from '../fixtures/transcripts';
import { RESULTS_DIR, type VSCode } from './harness';
import { useSonnet, type ChatView } from './sonnet';

const THEMES = ['Light Modern', 'Dark Modern', 'Dark High Contrast', 'Light High Contrast'] as const;
/** The narrowest side bar VS Code allows. */
const NARROWEST = 170;

/** Long enough for its history row to cut the title short. */
const QUESTION = 'Compare TypeScript and Python tooling: package managers, formatters, test runners and type checkers';

const MATH_TS = 'export const add = (a: number, b: number): number => a + b;\n';

const TABLE_ANSWER = [
  'Here is how they compare:',
  '',
  '| Language | Ecosystem | Package manager | Formatter | Test runner | Type checker |',
  '|---|---|---|---|---|---|',
  '| TypeScript | JavaScript | npm | Prettier | Mocha | tsc |',
  '| Python | PyPI | pip | Black | pytest | mypy |',
  '',
  '- [x] compared the tools',
  '- [ ] chosen one',
  '',
  '```ts',
  'export function describeLanguage(language: string, ecosystem: string, packageManager: string): string {',
  '  return `${language} (${ecosystem}, ${packageManager})`;',
  '}',
  '```',
  '',
  '```python',
  'print(describe_language("Python"))',
  '```',
].join('\n');

/** What the page measures for one theme and width: each broken layout fact, as a sentence. */
async function layoutProblems(frame: Frame, atDefaultWidth: boolean): Promise<string[]> {
  // tsx compiles the named helpers below with esbuild's keepNames, which calls a `__name` the page lacks.
  await frame.evaluate('globalThis.__name ??= (fn) => fn');
  return frame.evaluate((atDefault) => {
    const problems: string[] = [];
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    /** The line boxes a node's visible text takes: 1 when it is on one line (text for screen readers only is left out). */
    const lines = (node: Node) => {
      const tops = new Set<number>();
      const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
      for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        if (text.parentElement?.closest('.visually-hidden')) continue;
        const range = document.createRange();
        range.selectNodeContents(text);
        for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
      }
      return tops.size;
    };
    const inside = (inner: DOMRect, outer: DOMRect) =>
      inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5 && inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5;
    const intersects = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const rgba = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const visibleColour = (color: string) => {
      const [, , , alpha = 1] = rgba(color);
      return alpha > 0;
    };
    const bodyBackground = getComputedStyle(document.body).backgroundColor;
    /** A visible edge: a border whose colour is not transparent and not the side bar's background. */
    const edgeProblem = (el: Element, what: string) => {
      const style = getComputedStyle(el);
      const colour = style.borderTopColor;
      if (style.borderTopStyle === 'none' || parseFloat(style.borderTopWidth) < 1 || !visibleColour(colour) || colour === bodyBackground) {
        problems.push(`${what} has no visible edge (border ${style.borderTopWidth} ${style.borderTopStyle} ${colour} on ${bodyBackground})`);
      }
    };

    const conversation = document.querySelector('#conversation')!;
    if (conversation.scrollWidth > conversation.clientWidth) {
      problems.push(`the conversation scrolls sideways (${conversation.scrollWidth} > ${conversation.clientWidth})`);
    }
    const box = conversation.getBoundingClientRect();
    /** Whether something between `el` and the conversation scrolls or clips sideways (then `el` may be wider). */
    const inScroller = (el: Element) => {
      for (let up = el.parentElement; up && up !== conversation; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== 'visible') return true;
      }
      return false;
    };
    for (const el of conversation.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || inScroller(el)) continue;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) problems.push(`${name(el)} is wider than the conversation (${Math.round(r.left)}–${Math.round(r.right)} of ${Math.round(box.left)}–${Math.round(box.right)})`);
    }

    const table = document.querySelector('.markdown table');
    if (!table) problems.push('no table');
    else {
      const scroller = table.closest('.table-box') ?? table;
      if (!(scroller.scrollWidth > scroller.clientWidth)) problems.push(`the table does not scroll inside its box (${scroller.scrollWidth} ≤ ${scroller.clientWidth}): its words were squeezed`);
      for (const cell of table.querySelectorAll('th, td')) {
        const n = lines(cell);
        if (n > 1) problems.push(`table cell ${name(cell)} takes ${n} lines`);
      }
    }

    for (const block of document.querySelectorAll('.markdown .code-block')) {
      const code = block.querySelector('code')!;
      const firstLine = (() => {
        const range = document.createRange();
        range.selectNodeContents(code);
        return [...range.getClientRects()].find((r) => r.width > 0);
      })();
      const toolbar = block.querySelector('.code-toolbar');
      if (toolbar && firstLine && intersects(toolbar.getBoundingClientRect(), firstLine)) problems.push(`the code toolbar covers the first line of ${name(code)}`);
      edgeProblem(block, `code block ${block.getAttribute('data-lang')}`);
    }
    const longCode = document.querySelector('.markdown .code-block[data-lang="ts"] pre');
    if (longCode && !(longCode.scrollWidth > longCode.clientWidth && getComputedStyle(longCode).overflowX === 'auto')) {
      problems.push('the long code line has no horizontal scrollbar');
    }
    const toolCard = document.querySelector('.tool-call');
    if (!toolCard) problems.push('no tool card');
    else edgeProblem(toolCard, 'the tool card');

    const card = document.querySelector('.error-card');
    if (!card) problems.push('no error card');
    else {
      const cardBox = card.getBoundingClientRect();
      for (const button of card.querySelectorAll('button')) {
        if (!inside(button.getBoundingClientRect(), cardBox)) problems.push(`error card button ${name(button)} sticks out of its card`);
      }
    }

    const header = document.querySelector('.chat-header')!;
    const headerBox = header.getBoundingClientRect();
    const items = [...header.children].filter((el): el is HTMLElement => el instanceof HTMLElement && !el.hidden && !el.classList.contains('spacer'));
    if (!['#balance', '#refresh-balance', '.conversation-total'].every((selector) => items.some((el) => el.matches(selector)))) {
      problems.push(`the header lacks the balance, its refresh button or the chat's total`);
    }
    for (const item of items) {
      const r = item.getBoundingClientRect();
      if (lines(item) > 1) problems.push(`header item ${name(item)} breaks over ${lines(item)} lines`);
      if (!inside(r, headerBox)) problems.push(`header item ${name(item)} sticks out of the header`);
      // The view's title bar (and its border in High Contrast) is right above the page.
      if (r.top < 4) problems.push(`header item ${name(item)} touches the view's title (${r.top.toFixed(1)} px from it)`);
    }
    if (atDefault) {
      const middles = new Set(items.map((el) => { const r = el.getBoundingClientRect(); return Math.round((r.top + r.bottom) / 2); }));
      if ([...middles].some((m) => Math.abs(m - [...middles][0]) > 2)) problems.push('the header does not fit on one line at the default width');
    }
    return problems;
  }, atDefaultWidth);
}

/** Contrast ratio (WCAG) of two CSS colours, the first drawn over the second. */
function contrast(foreground: number[], background: number[]): number {
  const [r, g, b, alpha = 1] = foreground;
  const over = [r, g, b].map((c, i) => c * alpha + background[i] * (1 - alpha));
  const luminance = (rgb: number[]) => {
    const [lr, lg, lb] = rgb.map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
  };
  const [l1, l2] = [luminance(over), luminance(background)].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
}

/** The pressed thinking toggle's edge against the composer, and whether it differs from the unpressed one. */
async function toggleProblems(chat: ChatView): Promise<string[]> {
  const toggle = chat.frame.locator('#thinking-toggle');
  const look = () =>
    toggle.evaluate((el) => {
      const style = getComputedStyle(el);
      const composer = getComputedStyle(el.closest('.composer')!).backgroundColor;
      const edge = /rgba?\([^)]*\)/.exec(style.boxShadow)?.[0] ?? (style.borderTopStyle !== 'none' ? style.borderTopColor : 'rgba(0, 0, 0, 0)');
      const glyph = getComputedStyle(el.querySelector('.codicon')!, '::before').content;
      return { pressed: el.getAttribute('aria-pressed'), background: style.backgroundColor, edge, composer, glyph };
    });
  const before = await look();
  await toggle.click();
  await chat.frame.locator(`#thinking-toggle[aria-pressed="${before.pressed === 'true' ? 'false' : 'true'}"]`).waitFor();
  const after = await look();
  await toggle.click();
  await chat.frame.locator(`#thinking-toggle[aria-pressed="${before.pressed}"]`).waitFor();
  const on = before.pressed === 'true' ? before : after;
  const off = before.pressed === 'true' ? after : before;
  const numbers = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
  const ratio = contrast(numbers(on.edge), numbers(on.composer));
  const problems: string[] = [];
  if (ratio < 3) problems.push(`the thinking toggle's "on" edge has contrast ${ratio.toFixed(2)}:1 with the composer (at least 3:1 is visible)`);
  if (on.background === off.background && on.edge === off.edge) problems.push('the thinking toggle looks the same on and off');
  if (on.glyph === off.glyph) problems.push('the thinking toggle shows its state by colour alone (the same icon on and off)');
  return problems;
}

describe('The Chat view’s look', function () {
  this.timeout(6 * 60_000);
  const sonnet = useSonnet({ files: { 'src/math.ts': MATH_TS }, settings: { 'sonnet.maxRetries': 0 }, scrollbars: true });
  let defaultWidth = 0;

  /** Each theme, at the default width and at the narrowest: `visit` runs with the view laid out so. */
  async function walk(visit: (theme: string, width: 'default' | 'narrowest') => Promise<void>): Promise<void> {
    const vsc = sonnet.vsc();
    for (const theme of THEMES) {
      await vsc.setColorTheme(theme);
      const chat = await sonnet.chat();
      await chat.frame.locator(`body[data-vscode-theme-name="${theme}"]`).waitFor();
      for (const width of ['default', 'narrowest'] as const) {
        const wanted = width === 'default' ? defaultWidth : NARROWEST;
        const got = await vsc.setSideBarWidth(wanted);
        assert.ok(Math.abs(got - wanted) <= 2, `the side bar is ${got} px wide, not ${wanted}`);
        // The page has laid out at the new width once the frame's own width matches it.
        await chat.frame.waitForFunction((w) => Math.abs(document.documentElement.clientWidth - w) <= 4, got - 2);
        await visit(theme, width);
      }
      await vsc.setSideBarWidth(defaultWidth);
    }
  }

  async function screenshots(vsc: VSCode): Promise<void> {
    const dir = path.join(RESULTS_DIR, 'look');
    await walk(async (theme, width) => {
      const chat = await sonnet.chat();
      // The view's top (header, tool card, table, code) and its end (the error card, and the thinking
      // toggle switched on), each in view.
      const toggle = chat.frame.locator('#thinking-toggle');
      for (const end of ['top', 'end'] as const) {
        await chat.frame.locator('#conversation').evaluate((conversation, top) => conversation.scrollTo({ top: top ? 0 : conversation.scrollHeight }), end === 'top');
        if (end === 'end') await toggle.click();
        const file = path.join(dir, `${theme.replace(/\s+/g, '-')}-${width}-${end}.png`);
        await vsc.page.locator('.monaco-workbench .part.sidebar').screenshot({ path: file });
        if (end === 'end') await toggle.click();
      }
    });
    console.log(`      screenshots: ${path.relative(process.cwd(), dir)}`);
  }

  before(async function () {
    this.timeout(2 * 60_000);
    sonnet.mock().enqueue(
      sseReply({ blocks: [{ type: 'text', text: 'Let me read it.' }, { type: 'tool_use', id: 'toolu_math', name: 'read_file', input: { path: 'src/math.ts' } }], stopReason: 'tool_use' }),
      sseReply({ blocks: [{ type: 'text', text: TABLE_ANSWER }], credits: { where: 'message_delta', value: 0.75 } }),
      providerError('insufficient_credits'),
    );
    const chat = await sonnet.chat();
    await chat.send(QUESTION);
    await chat.waitForAnswer('Here is how they compare');
    await chat.send('And Go?');
    await chat.errorCard.waitFor();
    await chat.frame.locator('.conversation-total:not([hidden])').waitFor();
    defaultWidth = await sonnet.vsc().sideBarWidth();
  });

  // After a failure, or after the last test with SONNET_SCREENSHOTS=1 (while VS Code still runs).
  afterEach(async function () {
    this.timeout(2 * 60_000);
    const test = this.currentTest;
    const last = test?.parent?.tests.at(-1) === test;
    if (test?.state === 'failed' || (last && process.env.SONNET_SCREENSHOTS === '1')) await screenshots(sonnet.vsc());
  });

  it('keeps its layout in every theme at the default and the narrowest width', async () => {
    const problems: string[] = [];
    await walk(async (theme, width) => {
      const chat = await sonnet.chat();
      for (const problem of await layoutProblems(chat.frame, width === 'default')) problems.push(`${theme}, ${width} width: ${problem}`);
      if (width === 'default') for (const problem of await toggleProblems(chat)) problems.push(`${theme}: ${problem}`);
    });
    if (problems.length > 0) assert.fail(`${problems.length} layout problems:\n${problems.join('\n')}`);
  });

  it('keeps a history row’s buttons in place beside a long title, and names the row with title and time apart', async () => {
    const chat = await sonnet.chat();
    await sonnet.vsc().runCommand('Sonnet: Show History');
    // Measured once the row is laid out: the list is rebuilt when the host's copy of it arrives.
    const measured = await chat.frame.waitForFunction(() => {
      const item = [...document.querySelectorAll('.history-item')].find((row) => row.textContent?.includes('Compare TypeScript'));
      const [title, rename, remove] = ['.history-title', '[data-history-action="rename"]', '[data-history-action="delete"]'].map((selector) => item?.querySelector(selector));
      if (!item || !title || !rename || !remove || title.clientWidth === 0) return undefined;
      return {
        titleWidths: { scroll: title.scrollWidth, client: title.clientWidth },
        title: title.getBoundingClientRect().toJSON() as DOMRect,
        rename: rename.getBoundingClientRect().toJSON() as DOMRect,
        remove: remove.getBoundingClientRect().toJSON() as DOMRect,
        row: item.getBoundingClientRect().toJSON() as DOMRect,
      };
    });
    const layout = (await measured.jsonValue())!;
    assert.ok(layout.titleWidths.scroll > layout.titleWidths.client, `the long title is cut short (ellipsis): ${JSON.stringify(layout.titleWidths)}`);
    for (const button of [layout.rename, layout.remove]) {
      assert.ok(button.width >= button.height - 0.5, `an icon button keeps its square (${button.width} × ${button.height})`);
    }
    assert.ok(layout.title.right <= layout.rename.left + 0.5, 'the title ends before the rename button');
    assert.ok(Math.abs(layout.remove.right - layout.row.right) <= 0.5, 'the delete button stays at the row’s end');
    // The name a screen reader reads, as the browser computes it.
    await chat.frame.getByRole('button', { name: /^Compare TypeScript and Python tooling.*, just now · 2 turns/ }).waitFor({ timeout: 5_000 });
    await chat.frame.locator('#history-back').click();
  });
});
