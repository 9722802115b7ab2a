import type { ContentBlockParam, MessageParam } from '../api/types';
import {
  ERROR_ACTIONS,
  type AnswerView,
  type BlockView,
  type CodeReference,
  type ConversationSummary,
  type ErrorPresentation,
  type ToolCallStatus,
  type ToolCallView,
  type UsageView,
} from '../shared/protocol';
import type { TurnCheckpoint } from '../checkpoints/workspaceCheckpoints';
import { CHAT_MODES, type ChatMode } from '../shared/chatModes';
import type { CompactionRecord } from './compaction';
import { splitIntoTurns, type TokenCalibration } from './contextWindow';
import { Conversation, type Turn } from './conversation';
import { isImageFileName, mediaTypeOfFile, type PromptImage } from './promptImages';
import { messagesToSave } from './savedImages';

/**
 * A conversation as saved in the history: what is shown (`turns`) and what the model has seen
 * (`messages`, kept as the API holds it, whatever blocks it contains, so the conversation continues
 * exactly where it stopped).
 */
export interface SavedConversation {
  version: 1 | typeof CONVERSATION_FORMAT_VERSION;
  id: string;
  title?: string;
  createdAt: number;
  updatedAt: number;
  turns: SavedTurn[];
  messages: MessageParam[];
  calibration?: TokenCalibration;
  lastRequestTokens?: number;
  /** Whether the user turned extended thinking on or off for this conversation. */
  thinking?: boolean;
  mode?: ChatMode;
}

/** A turn without its id, which only names it in this session's view and is given anew on restore. */
export type SavedTurn = Omit<Turn, 'id'>;

/**
 * Raised when the saved shape changes; a file of a later version is left alone, not overwritten.
 * 2: turns may record a compaction (`compaction`), and `lastRequestTokens`; prompts and tool results
 * may hold images (files beside it). Files of 1 still load, and a conversation with none of these is
 * written as 1, so that an earlier version of the extension still opens it.
 */
export const CONVERSATION_FORMAT_VERSION = 2;
const READABLE_VERSIONS: readonly number[] = [1, 2];

/** The longest title kept: the history list is one line per conversation. */
const MAX_TITLE_LENGTH = 80;

/**
 * The conversation as saved; `images` gets the data of each image it holds, by file name, to be stored
 * beside it (the JSON refers to them by name).
 */
export function toSavedConversation(conversation: Conversation, updatedAt: number, images = new Map<string, string>()): SavedConversation {
  const turns = conversation.turns.map(({ id: _id, ...turn }) => turnToSave(turn, images));
  const messages = messagesToSave(conversation.messages, images);
  return {
    version: needsVersion2(conversation, turns, messages) ? CONVERSATION_FORMAT_VERSION : 1,
    id: conversation.id,
    ...(conversation.title ? { title: conversation.title } : {}),
    createdAt: conversation.createdAt,
    updatedAt,
    turns,
    messages,
    ...(conversation.calibration ? { calibration: conversation.calibration } : {}),
    ...(conversation.lastRequestTokens !== undefined ? { lastRequestTokens: conversation.lastRequestTokens } : {}),
    ...(conversation.thinking !== undefined ? { thinking: conversation.thinking } : {}),
    ...(conversation.mode !== undefined ? { mode: conversation.mode } : {}),
  };
}

/** Whether the saved conversation holds anything format 1 did not have. */
function needsVersion2(conversation: Conversation, turns: readonly SavedTurn[], messages: readonly MessageParam[]): boolean {
  if (conversation.lastRequestTokens !== undefined) return true;
  if (turns.some((turn) => turn.compaction !== undefined || (turn.prompt.images?.length ?? 0) > 0)) return true;
  const holdsImage = (blocks: ReadonlyArray<{ type: string; content?: unknown }>): boolean =>
    blocks.some((block) => block.type === 'image' || (block.type === 'tool_result' && Array.isArray(block.content) && holdsImage(block.content)));
  return messages.some((message) => typeof message.content !== 'string' && holdsImage(message.content));
}

function turnToSave(turn: SavedTurn, images: Map<string, string>): SavedTurn {
  if (!turn.prompt.images) return turn;
  for (const { file, data } of turn.prompt.images) if (data !== '') images.set(file, data);
  // Name and size only: `missing` is found out again on each load.
  const saved = turn.prompt.images.map(({ file, name, width, height, mediaType }) => ({ file, name, width, height, mediaType, data: '' }));
  return { ...turn, prompt: { ...turn.prompt, images: saved } };
}

/** The history list's line for a conversation. */
export function summaryOf(conversation: Conversation, updatedAt: number): ConversationSummary {
  return { id: conversation.id, title: titleOf(conversation), updatedAt, turnCount: conversation.turns.length };
}

export function titleOf(conversation: Conversation): string {
  return conversation.title ?? shortenTitle(conversation.turns[0]?.prompt.text ?? '') ?? 'New chat';
}

/** One line of at most `MAX_TITLE_LENGTH` characters, cut at a word; undefined if nothing is left. */
export function shortenTitle(text: string): string | undefined {
  // The bubble's inline-code backticks mean nothing in a list of titles.
  const line = text.replace(/`+/g, '').replace(/\s+/g, ' ').trim();
  if (line === '') return undefined;
  if (line.length <= MAX_TITLE_LENGTH) return line;
  const cut = line.slice(0, MAX_TITLE_LENGTH - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > MAX_TITLE_LENGTH / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

export type ParsedConversation =
  | { ok: true; conversation: Conversation; updatedAt: number }
  /** `newer`: written by a later version of the extension, which may still need it as it is. */
  | { ok: false; problem: 'corrupt' | 'newer'; detail: string };

/** Thrown inside the validation to stop at the first problem, with where it is. */
class ShapeError extends Error {}

/**
 * Reads a saved conversation. The file is untrusted input: everything is checked and copied field by
 * field, and a conversation that was streaming when it was saved (VS Code closed mid-answer) comes
 * back stopped.
 */
export function parseSavedConversation(text: string): ParsedConversation {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: 'corrupt', detail: `not JSON (${(error as Error).message})` };
  }
  try {
    const saved = record(value, 'the file');
    const version = saved.version;
    if (typeof version === 'number' && version > CONVERSATION_FORMAT_VERSION) {
      return { ok: false, problem: 'newer', detail: `saved by a later version of Sonnet Chat (format ${version})` };
    }
    if (typeof version !== 'number' || !READABLE_VERSIONS.includes(version)) throw new ShapeError(`unknown format version ${JSON.stringify(version)}`);
    const conversation = new Conversation(historyId(saved.id, 'id'), timestamp(saved.createdAt, 'createdAt'));
    conversation.title = optional(saved.title, 'title', (title, where) => shortenTitle(string(title, where)));
    conversation.calibration = optional(saved.calibration, 'calibration', parseCalibration);
    conversation.thinking = optional(saved.thinking, 'thinking', boolean);
    conversation.mode = optional(saved.mode, 'mode', chatMode);
    conversation.lastRequestTokens = optional(saved.lastRequestTokens, 'lastRequestTokens', number);
    list(saved.turns, 'turns').forEach((turn, index) => {
      conversation.turns.push({ id: `${conversation.id}:${index + 1}`, ...parseTurn(turn, `turns[${index}]`) });
    });
    list(saved.messages, 'messages').forEach((message, index) => conversation.messages.push(parseMessage(message, `messages[${index}]`)));
    checkCompactions(conversation);
    return { ok: true, conversation, updatedAt: timestamp(saved.updatedAt, 'updatedAt') };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, problem: 'corrupt', detail: error.message };
    throw error;
  }
}

/** Conversation ids name files, so only these characters are accepted from anywhere. */
const HISTORY_ID = /^[A-Za-z0-9-]{1,64}$/;

export function isHistoryId(value: unknown): value is string {
  return typeof value === 'string' && HISTORY_ID.test(value);
}

function historyId(value: unknown, where: string): string {
  if (!isHistoryId(value)) throw new ShapeError(`${where} is not a conversation id`);
  return value;
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ShapeError(`${where} is not an object`);
  return value as Record<string, unknown>;
}

function list(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${where} is not a list`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new ShapeError(`${where} is not text`);
  return value;
}

function number(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ShapeError(`${where} is not a number`);
  return value;
}

function timestamp(value: unknown, where: string): number {
  return Math.round(number(value, where));
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], where: string): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new ShapeError(`${where} is not one of ${allowed.join(', ')}`);
  return found;
}

function chatMode(value: unknown, where: string): ChatMode {
  return oneOf(value, CHAT_MODES, where);
}

function boolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new ShapeError(`${where} is not true or false`);
  return value;
}

function optional<T>(value: unknown, where: string, parse: (value: unknown, where: string) => T | undefined): T | undefined {
  return value === undefined ? undefined : parse(value, where);
}

function parseCalibration(value: unknown, where: string): TokenCalibration {
  const calibration = record(value, where);
  return { chars: number(calibration.chars, `${where}.chars`), inputTokens: number(calibration.inputTokens, `${where}.inputTokens`) };
}

function parseReference(value: unknown, where: string): CodeReference {
  const reference = record(value, where);
  return {
    path: string(reference.path, `${where}.path`),
    languageId: string(reference.languageId, `${where}.languageId`),
    startLine: number(reference.startLine, `${where}.startLine`),
    endLine: number(reference.endLine, `${where}.endLine`),
  };
}

function parseTurn(value: unknown, where: string): SavedTurn {
  const turn = record(value, where);
  const prompt = record(turn.prompt, `${where}.prompt`);
  const reference = optional(prompt.reference, `${where}.prompt.reference`, parseReference);
  const contextNote = optional(turn.contextNote, `${where}.contextNote`, string);
  const checkpoint = optional(turn.checkpoint, `${where}.checkpoint`, parseCheckpoint);
  const mode = optional(turn.mode, `${where}.mode`, chatMode);
  const images = optional(prompt.images, `${where}.prompt.images`, (value, at) => list(value, at).map((image, i) => parseImage(image, `${at}[${i}]`)));
  const compaction = optional(turn.compaction, `${where}.compaction`, parseCompaction);
  return {
    prompt: {
      text: string(prompt.text, `${where}.prompt.text`),
      content: string(prompt.content, `${where}.prompt.content`),
      ...(reference ? { reference } : {}),
      ...(images?.length ? { images } : {}),
    },
    answer: parseAnswer(turn.answer, `${where}.answer`),
    committed: turn.committed === true,
    ...(contextNote ? { contextNote } : {}),
    ...(checkpoint ? { checkpoint } : {}),
    ...(mode ? { mode } : {}),
    ...(compaction ? { compaction } : {}),
  };
}

/** A prompt's image as saved: its file (read back by `restoreImages`), name and size. */
function parseImage(value: unknown, where: string): PromptImage {
  const image = record(value, where);
  const file = image.file;
  const mediaType = isImageFileName(file) ? mediaTypeOfFile(file) : undefined;
  if (!isImageFileName(file) || !mediaType) throw new ShapeError(`${where}.file is not an image file's name`);
  return { file, name: string(image.name, `${where}.name`), width: number(image.width, `${where}.width`), height: number(image.height, `${where}.height`), mediaType, data: '' };
}

function parseCompaction(value: unknown, where: string): CompactionRecord {
  const compaction = record(value, where);
  const usage = optional(compaction.usage, `${where}.usage`, parseUsage);
  return {
    coveredMessages: timestamp(compaction.coveredMessages, `${where}.coveredMessages`),
    coveredTurns: timestamp(compaction.coveredTurns, `${where}.coveredTurns`),
    summary: string(compaction.summary, `${where}.summary`),
    ...(usage ? { usage } : {}),
    ...(compaction.beforeAnswer === true ? { beforeAnswer: true } : {}),
  };
}

/** A summary stands for whole turns of the history: it ends where a turn begins (or at its end). */
function checkCompactions(conversation: Conversation): void {
  const boundaries = new Set<number>([conversation.messages.length]);
  let at = 0;
  for (const turn of splitIntoTurns(conversation.messages)) {
    boundaries.add(at);
    at += turn.length;
  }
  conversation.turns.forEach((turn, index) => {
    if (turn.compaction && !boundaries.has(turn.compaction.coveredMessages)) {
      throw new ShapeError(`turns[${index}].compaction.coveredMessages does not end at a turn of the messages`);
    }
  });
}

function parseCheckpoint(value: unknown, where: string): TurnCheckpoint {
  const checkpoint = record(value, where);
  return {
    takenAt: timestamp(checkpoint.takenAt, `${where}.takenAt`),
    folders: list(checkpoint.folders, `${where}.folders`).map((entry, i) => {
      const folder = record(entry, `${where}.folders[${i}]`);
      const commit = string(folder.commit, `${where}.folders[${i}].commit`);
      if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new ShapeError(`${where}.folders[${i}].commit is not a commit id`);
      return { folder: string(folder.folder, `${where}.folders[${i}].folder`), commit };
    }),
    notes: list(checkpoint.notes, `${where}.notes`).map((note, i) => string(note, `${where}.notes[${i}]`)),
    ...(checkpoint.edits === undefined ? {} : { edits: string(checkpoint.edits, `${where}.edits`) }),
  };
}

const ANSWER_STATUSES: readonly AnswerView['status'][] = ['streaming', 'done', 'stopped', 'failed'];

function parseAnswer(value: unknown, where: string): AnswerView {
  const answer = record(value, where);
  const saved = oneOf(answer.status, ANSWER_STATUSES, `${where}.status`);
  const usage = optional(answer.usage, `${where}.usage`, parseUsage);
  const error = optional(answer.error, `${where}.error`, parseError);
  const interrupted = saved === 'streaming';
  const note = interrupted ? 'VS Code closed before this answer finished.' : optional(answer.note, `${where}.note`, string);
  return {
    status: interrupted ? 'stopped' : saved,
    blocks: list(answer.blocks, `${where}.blocks`).map((block, index) => parseBlock(block, `${where}.blocks[${index}]`)),
    ...(usage ? { usage } : {}),
    ...(note ? { note } : {}),
    ...(error ? { error } : {}),
  };
}

function parseUsage(value: unknown, where: string): UsageView {
  const usage = record(value, where);
  return {
    inputTokens: number(usage.inputTokens, `${where}.inputTokens`),
    outputTokens: number(usage.outputTokens, `${where}.outputTokens`),
    credits: number(usage.credits, `${where}.credits`),
    creditsSource: oneOf(usage.creditsSource, ['provider', 'computed'] as const, `${where}.creditsSource`),
  };
}

function parseError(value: unknown, where: string): ErrorPresentation {
  const error = record(value, where);
  const setting = optional(error.setting, `${where}.setting`, string);
  return {
    title: string(error.title, `${where}.title`),
    message: string(error.message, `${where}.message`),
    actions: list(error.actions, `${where}.actions`).map((action, index) => oneOf(action, ERROR_ACTIONS, `${where}.actions[${index}]`)),
    ...(setting ? { setting } : {}),
  };
}

function parseBlock(value: unknown, where: string): BlockView {
  const block = record(value, where);
  switch (block.kind) {
    case 'text':
    case 'thinking':
      return { kind: block.kind, text: string(block.text, `${where}.text`) };
    case 'redactedThinking':
      return { kind: 'redactedThinking' };
    case 'toolUse':
      return { kind: 'toolUse', call: parseToolCall(block.call, `${where}.call`) };
    case 'other':
      return { kind: 'other', type: string(block.type, `${where}.type`) };
    default:
      throw new ShapeError(`${where} is not a known kind of block`);
  }
}

const TOOL_CALL_STATUSES: readonly ToolCallStatus[] = ['running', 'awaitingApproval', 'done', 'failed', 'rejected', 'cancelled'];

function parseToolCall(value: unknown, where: string): ToolCallView {
  const call = record(value, where);
  const status = oneOf(call.status, TOOL_CALL_STATUSES, `${where}.status`);
  const result = optional(call.result, `${where}.result`, string);
  return {
    id: string(call.id, `${where}.id`),
    name: string(call.name, `${where}.name`),
    summary: string(call.summary, `${where}.summary`),
    input: string(call.input, `${where}.input`),
    // A call that was still running or waiting when the conversation was saved will never finish.
    status: status === 'running' || status === 'awaitingApproval' ? 'cancelled' : status,
    changesFiles: call.changesFiles === true,
    ...(result !== undefined ? { result } : {}),
    ...(call.inputCutOff === true ? { inputCutOff: true } : {}),
  };
}

/**
 * A message of the model-facing history. Its blocks are kept as they are, whatever their type (text,
 * thinking with its signature, tool calls and results, types added later): the provider needs them
 * byte for byte, and it checks them itself.
 */
function parseMessage(value: unknown, where: string): MessageParam {
  const message = record(value, where);
  const role = oneOf(message.role, ['user', 'assistant'] as const, `${where}.role`);
  if (typeof message.content === 'string') return { role, content: message.content };
  const content = list(message.content, `${where}.content`).map((block, index) => {
    const checked = record(block, `${where}.content[${index}]`);
    string(checked.type, `${where}.content[${index}].type`);
    return checked as unknown as ContentBlockParam;
  });
  return { role, content };
}
