import { element } from './dom';
import { replaceInPrompt } from './mentionHighlight';
import { host } from './vscodeApi';

/** Where VS Code puts the dragged files of its Explorer and editor tabs: URI lists, one a line. */
const URI_TYPES = ['application/vnd.code.uri-list', 'text/uri-list'];

/** The workbench's own type for them: a JSON array of URIs, there when the lists are not. */
const RESOURCE_URLS = 'ResourceURLs';

/** Left to the images' own drop listener. */
const IMAGE_FILE = /\.(png|jpe?g|gif|webp)$/i;

/**
 * Files and folders dragged from the Explorer or an editor tab onto the view: a drop target shows
 * while anything with files or URIs is dragged over it, and the dropped workspace files become
 * mentions at the caret (the host turns the URIs into paths, and refuses what is outside the
 * workspace). Images and files from the operating system are not handled here.
 */
export class MentionDrop {
  private readonly target = element('div', 'drop-target');
  /** Enter and leave events of the page's elements, to know when the drag has left the page. */
  private depth = 0;
  /** Where the caret was, for the mentions: a drop may come while the input does not have the focus. */
  private caret: { start: number; end: number } | undefined;

  constructor(private readonly prompt: HTMLTextAreaElement) {
    this.target.setAttribute('aria-hidden', 'true');
    this.target.append(element('span', 'codicon codicon-cloud-upload'), element('span', 'drop-target-title', 'Drop files or folders to mention them'), element('span', 'drop-target-hint', 'Hold Shift to drop'));
    this.target.hidden = true;
    document.body.append(this.target);
    const keepCaret = () => (this.caret = { start: prompt.selectionStart, end: prompt.selectionEnd });
    prompt.addEventListener('blur', keepCaret);
    document.addEventListener('dragenter', (event) => {
      if (!carriesFiles(event)) return;
      this.depth++;
      this.target.hidden = false;
    });
    document.addEventListener('dragover', (event) => {
      if (!carriesFiles(event)) return;
      // Without this the page refuses the drop.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      this.target.hidden = false;
    });
    document.addEventListener('dragleave', () => {
      this.depth = Math.max(0, this.depth - 1);
      if (this.depth === 0) this.target.hidden = true;
    });
    document.addEventListener('dragend', () => this.hide());
    document.addEventListener('drop', (event) => {
      this.hide();
      const uris = droppedUris(event.dataTransfer).filter((uri) => !IMAGE_FILE.test(uri));
      if (uris.length === 0) return;
      event.preventDefault();
      if (document.activeElement === prompt) keepCaret();
      host.postMessage({ type: 'dropUris', uris });
    });
  }

  /** The host's mentions of what was dropped, at the caret, spaced from the text around them. */
  insert(mentions: readonly string[]): void {
    const { value } = this.prompt;
    const { start, end } = this.caret ?? { start: value.length, end: value.length };
    const before = start > 0 && !/\s/.test(value[start - 1]) ? ' ' : '';
    replaceInPrompt(this.prompt, start, end, `${before}${mentions.join(' ')} `);
    this.caret = undefined;
  }

  private hide(): void {
    this.depth = 0;
    this.target.hidden = true;
  }
}

function carriesFiles(event: DragEvent): boolean {
  const types = event.dataTransfer?.types ?? [];
  return types.includes('Files') || types.includes(RESOURCE_URLS) || URI_TYPES.some((type) => types.includes(type));
}

/** The URIs of the drop, from VS Code's own list if there is one; `#` lines are comments. */
function droppedUris(data: DataTransfer | null): string[] {
  for (const type of URI_TYPES) {
    const list = data?.getData(type) ?? '';
    const uris = list
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    if (uris.length > 0) return uris;
  }
  try {
    const resources: unknown = JSON.parse(data?.getData(RESOURCE_URLS) || '[]');
    return Array.isArray(resources) ? resources.filter((uri): uri is string => typeof uri === 'string') : [];
  } catch {
    return [];
  }
}
