/**
 * The salon on its first morning: the Message Center enabled on a number, the clients recorded, and a few
 * messages each way, so the inbox has something to show. On a store that already has the business (a
 * restart on EventStoreDB), only what is missing is added.
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { MessageCenter, MessageCenterError } from '@message-center/core';
import { BUSINESS_ID, CLIENTS, STAFF } from './roster.js';

const host = { kind: 'host', businessId: BUSINESS_ID } as const;

const must = async <A>(what: string, task: TE.TaskEither<MessageCenterError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${what}: ${result.left.code}: ${result.left.message}`);
  return result.right;
};

/**
 * Enables the business on `number` (one the provider account holds) and answers it. Already enabled (a
 * restart on a persistent store): the configured number stands (a different one is a number change, B2).
 */
export const enableSalon = async (mc: MessageCenter, number: string): Promise<string> => {
  const allotment = { messagesPerPeriod: 500, overage: 'refuse' } as const;
  const enabled = await mc.enableMessageCenter({ businessId: BUSINESS_ID, actor: host, country: 'US', number, allotment })();
  if (E.isRight(enabled)) return enabled.right.number;
  if (enabled.left.code !== 'message-center-already-enabled') throw new Error(`enable the Message Center: ${enabled.left.code}: ${enabled.left.message}`);
  return (await must('set the number', mc.changeNumber({ businessId: BUSINESS_ID, actor: host, number }))).number;
};

/**
 * The clients, and on a new business the morning's messages (`inbound` posts a client's text through the
 * signed webhook; null: no messages).
 */
export const seedSalon = async (mc: MessageCenter, inbound: ((from: string, body: string, pictures: number) => Promise<void>) | null): Promise<void> => {
  for (const c of CLIENTS) await must(`record ${c.name}`, mc.recordClient({ businessId: BUSINESS_ID, actor: host, ...c, groups: [...c.groups] }));
  if (inbound === null) return;
  // Ana's conversation is the morning's first: from its own stream (a shared database may not have it yet).
  const started = await mc.conversation({ businessId: BUSINESS_ID, conversationId: 'ana', viewer: STAFF[0].actor })();
  if (E.isRight(started)) return;
  if (started.left.code !== 'conversation-not-found') throw new Error(`read Ana's conversation: ${started.left.code}: ${started.left.message}`);
  const [dana, eli] = [STAFF[0].actor, STAFF[1].actor];
  await must('text Ana', mc.sendMessage({ businessId: BUSINESS_ID, actor: dana, clientId: 'ana', body: 'Hi Ana, your colour appointment is tomorrow at 10. Reply to confirm!' }));
  await inbound('+14155552671', 'Yes, see you then!', 0);
  await inbound('+14155552671', 'Can I bring my sister?', 0);
  await inbound('+16465550142', 'Do you have openings on Saturday?', 0);
  await must('text Dev', mc.sendMessage({ businessId: BUSINESS_ID, actor: eli, clientId: 'dev', body: 'Hi Dev, we moved your cut to 3pm on Friday.' }));
  await inbound('+12125550199', 'Perfect, thanks', 0);
  await must('Eli reads Dev', mc.markRead({ businessId: BUSINESS_ID, conversationId: 'dev', actor: eli }));
  await inbound('+13055550123', 'Here is the nail design I liked', 1);
};
