/**
 * The bench's mock provider, in a process of its own so that serving the bytes costs the measured
 * process nothing: `node --import tsx bench/mock/server.ts [--smoke]`. It prints its base URL as one
 * JSON line, then serves until its stdin closes (the bench ended, or died).
 */
import { MockProvider, type Reply } from '../../test/fixtures/mockProvider';
import { sseReply } from '../../test/fixtures/transcripts';
import { decodeScript, firstTokenReply, FULL_SCALE, LONG_ANSWERS, longAnswerScript, MODELS, SMOKE_SCALE } from './scenarios';

async function main(): Promise<void> {
  const scale = process.argv.includes('--smoke') ? SMOKE_SCALE : FULL_SCALE;
  const replies: Record<string, () => Reply> = {};
  const decode = sseReply(decodeScript(scale.decodeDeltas));
  replies[MODELS.decode] = () => decode;
  const firstToken = firstTokenReply();
  replies[MODELS.firstToken] = () => firstToken;
  const long = Array.from({ length: LONG_ANSWERS }, (_, seed) => sseReply(longAnswerScript(scale.longAnswerChars, seed + 1), { chunkSize: 4096 }));
  let turn = 0;
  replies[MODELS.longAnswer] = () => long[turn++ % long.length];

  const mock = await MockProvider.start();
  mock.onMessages((request) => {
    // Each request carries the whole conversation: keeping them all would only measure this process.
    mock.requests.length = 0;
    const reply = replies[request.body?.model];
    if (!reply) throw new Error(`the bench mock knows no model ${JSON.stringify(request.body?.model)}`);
    return reply();
  });
  process.stdin.on('end', () => void mock.close().then(() => process.exit(0)));
  process.stdin.resume();
  process.stdout.write(JSON.stringify({ url: mock.url, origin: mock.origin }) + '\n');
}

void main();
