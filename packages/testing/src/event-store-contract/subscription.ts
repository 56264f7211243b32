import { afterEach, describe, expect, it } from 'vitest';
import type { EventStore, EventToAppend, Subscription } from '@message-center/core';
import {
  append,
  checkpointNow,
  delay,
  expectRight,
  gate,
  idsOf,
  newEvent,
  newEvents,
  recordSubscription,
  uniqueName,
  type SubscriptionRecord,
  type TargetRef,
} from './support.js';

/** Appends one batch per entry, in order, to streams under `prefix`; returns every event appended. */
const appendAll = async (store: EventStore, prefix: string, plan: ReadonlyArray<readonly [string, number]>): Promise<ReadonlyArray<EventToAppend>> => {
  const appended: Array<EventToAppend> = [];
  for (const [stream, count] of plan) {
    const events = newEvents(count);
    await expectRight(append(store, `${prefix}${stream}`, events, 'any'));
    appended.push(...events);
  }
  return appended;
};

export const describeSubscription = (target: TargetRef): void => {
  describe('subscribeToAll', () => {
    const open: Array<Subscription> = [];
    const subscribe = (...args: Parameters<typeof recordSubscription>): SubscriptionRecord => {
      const record = recordSubscription(...args);
      open.push(record.subscription);
      return record;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((subscription) => subscription.close()));
    });

    /**
     * Waits until a second, independent subscription has seen an event appended after `record` was
     * closed or failed, plus a grace period: if `record` were still delivering, it would have it by then.
     */
    const settle = async (store: EventStore, prefix: string): Promise<void> => {
      const after = await checkpointNow(store);
      const sentinel = subscribe(store, { after, streamPrefix: prefix });
      const [marker] = await appendAll(store, prefix, [['sentinel', 1]]);
      await sentinel.until('the sentinel event', () => sentinel.events.some((event) => event.id === marker?.id));
      await delay(20);
    };

    it('delivers history, then calls onCaughtUp once, then live events, in log order', async () => {
      const { store } = target();
      const prefix = `${uniqueName('catch-up')}-`;
      const history = await appendAll(store, prefix, [['a', 2], ['b', 1]]);
      const record = subscribe(store, { streamPrefix: prefix });
      await record.until('caught up', () => record.caughtUpCalls > 0);
      expect(idsOf(record.events)).toEqual(idsOf(history));
      expect(record.eventsAtCaughtUp).toBe(history.length);

      const live = await appendAll(store, prefix, [['a', 1], ['c', 2], ['b', 1]]);
      await record.until('the live events', () => record.events.length === history.length + live.length);
      expect(idsOf(record.events)).toEqual(idsOf([...history, ...live]));
      expect(record.caughtUpCalls).toBe(1);
      expect(record.errors).toEqual([]);
    });

    it('resumes exclusively after a checkpoint', async () => {
      const { store } = target();
      const prefix = `${uniqueName('resume')}-`;
      await appendAll(store, prefix, [['a', 2], ['b', 2]]);
      const read = await expectRight(store.readAll({ streamPrefix: prefix }));
      const checkpoint = read[1];
      if (checkpoint === undefined) throw new Error('four events were written');

      const record = subscribe(store, { after: checkpoint.position, streamPrefix: prefix });
      await record.until('caught up', () => record.caughtUpCalls > 0);
      expect(idsOf(record.events)).toEqual(idsOf(read.slice(2)));
      const live = await appendAll(store, prefix, [['a', 1]]);
      await record.until('the live event', () => record.events.length === 3);
      expect(idsOf(record.events)).toEqual(idsOf([...read.slice(2), ...live]));
    });

    it('delivers only streams with the prefix', async () => {
      const { store } = target();
      const prefix = `${uniqueName('filter')}-`;
      const after = await checkpointNow(store);
      const record = subscribe(store, { after, streamPrefix: `${prefix}in` });
      const written = await appendAll(store, prefix, [['in-1', 1], ['out-1', 2], ['in-2', 1], ['out-2', 1], ['in-1', 1]]);
      const wanted = [written[0], written[3], written[5]];
      // The last event is wanted: once it is delivered, every earlier one has been considered.
      await record.until('the three wanted events', () => record.events.length >= wanted.length);
      expect(idsOf(record.events)).toEqual(idsOf(wanted.filter((event) => event !== undefined)));
    });

    it('awaits each onEvent before the next, keeps order, and never makes appends wait', async () => {
      const { store } = target();
      const prefix = `${uniqueName('slow')}-`;
      const after = await checkpointNow(store);
      const held = gate();
      let running = 0;
      let overlapped = false;
      const record = subscribe(store, { after, streamPrefix: prefix }, async (_event, index) => {
        running += 1;
        overlapped ||= running > 1;
        await (index === 0 ? held.opened : delay(index % 3));
        running -= 1;
      });
      const first = await appendAll(store, prefix, [['a', 1]]);
      await record.until('the first event', () => record.events.length === 1);
      // The handler is stuck on the first event; appends still complete.
      const more = await appendAll(store, prefix, [['a', 3], ['b', 2], ['a', 4]]);
      expect(record.events).toHaveLength(1);
      held.open();
      await record.until('every event', () => record.events.length === 1 + more.length);
      expect(idsOf(record.events)).toEqual(idsOf([...first, ...more]));
      expect(overlapped).toBe(false);
    });

    it('close stops delivery and resolves once no handler is running', async () => {
      const { store } = target();
      const prefix = `${uniqueName('close')}-`;
      const after = await checkpointNow(store);
      let running = false;
      const record = subscribe(store, { after, streamPrefix: `${prefix}watched` }, async () => {
        running = true;
        await delay(30);
        running = false;
      });
      await appendAll(store, prefix, [['watched', 1]]);
      await record.until('the first event', () => record.events.length === 1);
      expect(running).toBe(true);
      await record.subscription.close();
      expect(running).toBe(false);

      await appendAll(store, prefix, [['watched', 2]]);
      await settle(store, prefix);
      expect(record.events).toHaveLength(1);
    });

    it('a handler that throws ends the subscription with onError (store-unavailable, with the cause)', async () => {
      const { store } = target();
      const prefix = `${uniqueName('failing')}-`;
      const after = await checkpointNow(store);
      const failure = new Error('the read model cannot take this event');
      const record = subscribe(store, { after, streamPrefix: `${prefix}watched` }, (_event, index) => {
        if (index === 1) throw failure;
      });
      await appendAll(store, prefix, [['watched', 3]]);
      await record.until('the error', () => record.errors.length > 0);
      expect(record.errors).toEqual([expect.objectContaining({ code: 'store-unavailable', cause: failure })]);

      await appendAll(store, prefix, [['watched', 1]]);
      await settle(store, prefix);
      expect(record.events).toHaveLength(2);
      expect(record.errors).toHaveLength(1);
    });

    it('delivers a single event appended right after subscribing from a checkpoint', async () => {
      const { store } = target();
      const prefix = `${uniqueName('live')}-`;
      const record = subscribe(store, { after: await checkpointNow(store), streamPrefix: prefix });
      const event = newEvent({ live: true });
      await expectRight(append(store, `${prefix}x`, [event], 'no-stream'));
      await record.until('the event', () => record.events.length === 1);
      expect(record.events[0]).toMatchObject({ id: event.id, streamId: `${prefix}x`, revision: 0n, data: { live: true } });
    });
  });
};
