/**
 * The private refs that keep checkpoints: `refs/sonnet/checkpoints/<conversation>/<ms>-<commit>`,
 * one per checkpoint, each a commit without parents, so dropping a ref frees exactly what only that
 * checkpoint kept. Node only.
 */
import { createHash } from 'node:crypto';
import { nulRecords, runGit, type GitPlace } from './gitProcess';

const ROOT = 'refs/sonnet/checkpoints/';

export interface CheckpointRef {
  name: string;
  /** The conversation's id as it appears in the ref (hashed unless plain). */
  conversation: string;
  createdAt: number;
  commit: string;
}

/** A conversation id as a ref name component: plain ids (UUIDs) as they are, anything else hashed. */
function refComponent(conversationId: string): string {
  return /^[A-Za-z0-9_-]{1,100}$/.test(conversationId) ? conversationId : `x${createHash('sha256').update(conversationId).digest('hex')}`;
}

/** All checkpoints' refs, or one conversation's. */
export function refPrefix(conversationId?: string): string {
  return conversationId === undefined ? ROOT : `${ROOT}${refComponent(conversationId)}/`;
}

export function checkpointRef(conversationId: string, createdAt: number, commit: string): string {
  return `${refPrefix(conversationId)}${createdAt}-${commit}`;
}

export async function conversationRefs(place: GitPlace, prefix: string): Promise<CheckpointRef[]> {
  const { stdout } = await runGit(place, ['for-each-ref', '--format=%(refname)%00', prefix]);
  return nulRecords(stdout)
    .map((record) => record.replace(/^\n/, ''))
    .filter((name) => name.startsWith(ROOT))
    .map((name) => {
      const [conversation, leaf] = name.slice(ROOT.length).split('/');
      const [createdAt, commit] = leaf.split('-');
      return { name, conversation, createdAt: Number(createdAt), commit };
    });
}
