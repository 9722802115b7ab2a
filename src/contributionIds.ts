/** Names package.json declares, shared by the activation shell (extension.ts) and the session. */

export const CHAT_VIEW_ID = 'sonnet.chatView';

/** The scheme of the proposed side of an edit's diff, served from memory. */
export const PROPOSAL_SCHEME = 'sonnet-proposal';
