/**
 * Our failures as VS Code's language model errors: the kind a calling extension can branch on
 * (`LanguageModelError.code`), and the message the Chat view's error card would show, with what
 * fixes it.
 */
import { ApiError } from '../api/errors';
import { errorPresentation } from '../chat/errorPresentation';
import type { ErrorAction } from '../shared/protocol';

/** `NoPermissions`, `Blocked` and `NotFound` are `LanguageModelError`'s own; anything else is a plain error. */
export type LmErrorKind = 'NoPermissions' | 'Blocked' | 'NotFound' | 'Other';

export interface LmFailure {
  kind: LmErrorKind;
  message: string;
}

const FIXES: Partial<Record<ErrorAction, string>> = {
  setApiKey: 'Run "Sonnet: Set API Key" to set one.',
  topUp: "Top up the account in the provider's dashboard.",
};

export function lmFailure(error: unknown): LmFailure {
  const { title, message, actions, setting } = errorPresentation(error);
  const fixes = actions.flatMap((action) => (FIXES[action] ? [FIXES[action]] : []));
  if (setting) fixes.push(`Check the ${setting} setting.`);
  const text = [`Sonnet Chat: ${title}.`, message, ...fixes].join(' ');
  return { kind: kindOf(error, actions, setting), message: text };
}

function kindOf(error: unknown, actions: ErrorAction[], setting: string | undefined): LmErrorKind {
  // The key is what is missing or refused: no key, a malformed, rejected or IP-restricted one.
  if (actions.includes('setApiKey')) return 'NoPermissions';
  // No credits or a spend limit: nothing goes through until the account changes.
  if (actions.includes('topUp')) return 'Blocked';
  if (setting === 'sonnet.model' && error instanceof ApiError) return 'NotFound';
  return 'Other';
}
