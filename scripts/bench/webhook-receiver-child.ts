/**
 * The bench's webhook receiver (webhook-receiver.ts) in a process of its own, so that the process measured pays only
 * the sending side: forked by webhook-passes.ts, it answers `{ url }` over IPC once it listens, then `{ distinct,
 * requests }` to every `'count'` message, and stops when its parent disconnects.
 */
import { startWebhookReceiver } from './webhook-receiver.js';

const receiver = await startWebhookReceiver();
process.on('message', (message) => {
  if (message === 'count') process.send?.({ distinct: receiver.distinct(), requests: receiver.requests() });
});
process.on('disconnect', () => {
  void receiver.close().then(() => process.exit(0));
});
process.send?.({ url: receiver.url });
