/**
 * The composer's mode picker (Ask, Agent, Plan: a native select, so the keyboard and screen readers
 * know it) and the "Auto-approving" badge, which says what runs without a click; a click on it turns
 * this chat's "Accept all edits" off, or, when only settings auto-approve, opens them.
 */
import './modeControls.css';
import { CHAT_MODES, type ChatMode } from '../shared/chatModes';
import type { AutoApprovingView, ViewSettings } from '../shared/protocol';
import { host } from './vscodeApi';

const MODE_HINTS: Record<ChatMode, string> = {
  ask: 'Ask: reads the workspace and answers; changes nothing',
  agent: 'Agent: edits files and runs commands, with approvals as set',
  plan: 'Plan: reads, then answers with a numbered plan to run',
};

export class ModeControls {
  private autoApproving: AutoApprovingView | undefined;

  constructor(
    private readonly picker: HTMLSelectElement,
    private readonly badge: HTMLButtonElement,
  ) {
    for (const option of picker.options) {
      const mode = CHAT_MODES.find((known) => known === option.value);
      if (mode) option.title = MODE_HINTS[mode];
    }
    picker.addEventListener('change', () => {
      const mode = CHAT_MODES.find((known) => known === picker.value);
      if (!mode) return;
      this.showMode(mode);
      host.postMessage({ type: 'setMode', mode });
    });
    badge.addEventListener('click', () => {
      if (this.autoApproving?.editsInChat) host.postMessage({ type: 'stopAutoApprovingEdits' });
      else host.postMessage({ type: 'action', action: 'openSettings' });
    });
  }

  show(settings: ViewSettings): void {
    this.showMode(settings.mode);
    this.autoApproving = settings.autoApproving;
    this.badge.hidden = settings.autoApproving === undefined;
    if (settings.autoApproving) {
      const label = autoApprovingText(settings.autoApproving);
      this.badge.title = label;
      this.badge.setAttribute('aria-label', label);
    }
  }

  private showMode(mode: ChatMode): void {
    this.picker.value = mode;
    this.picker.title = `Mode: ${MODE_HINTS[mode]}`;
    this.picker.dataset.mode = mode;
  }
}

/** The badge's tooltip and accessible name: what is auto-approved, and what its click does. */
export function autoApprovingText(view: AutoApprovingView): string {
  const what = [
    ...(view.editsInChat ? ['edits in this chat'] : []),
    ...(view.editsAlways ? ['edits always (setting sonnet.tools.autoApproveEdits)'] : []),
    ...(view.commandRules > 0 ? [`commands matching ${view.commandRules} rule${view.commandRules === 1 ? '' : 's'} (sonnet.tools.commandRules)`] : []),
  ];
  const click = view.editsInChat ? 'Click to ask again for the edits of this chat.' : 'Click to open the settings.';
  return `Auto-approving ${what.join(', ')}. ${click}`;
}
