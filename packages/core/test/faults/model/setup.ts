/**
 * One run of the model: a fault world from the drawn plans, the business set up by its host on the healthy
 * store (the run is about what happens after), the model that mirrors it, and the checks after the last
 * command: every webhook once more, then recovery (faults off, an hour for claims to expire, two sweeps
 * by a new process) after which nothing may be left pending and every invariant must still hold.
 */
import * as E from 'fp-ts/lib/Either.js';
import { vi } from 'vitest';
import type { ClientId, E164 } from '@message-center/core';
import { deliveriesByMessage, healthyStorePlan, healthyTransportPlan, repeatedHandOvers, type StoreFaultPlan, type TransportFaultPlan } from '@message-center/testing';
import { BUSINESS, BUSINESS_NUMBERS, PHONES, STAFF, at, clientId, setUpBusiness } from '../support/fixtures.js';
import { settled } from '../support/virtual-time.js';
import { createFaultWorld } from '../support/world.js';
import { checkAllotment, checkAtMostOnce, checkBadge, checkHandOvers, checkInbound } from './invariants.js';
import { stepStart, type Model } from './reference-model.js';
import { call, InvariantViolation, type Real } from './system.js';

export interface RunPlan {
  readonly storePlan: StoreFaultPlan;
  readonly transportPlan: TransportFaultPlan;
  readonly allotment: number;
  /** Key-derived event ids (UUIDv5, as the EventStoreDB adapter gives), or random ones (the embedded default). */
  readonly keyedIds: boolean;
}

const INITIAL_CLIENTS = 3;

export const startRun = async (plan: RunPlan): Promise<{ readonly model: Model; readonly real: Real }> => {
  // Timers left by the crashed processes of the previous run (their deadlines, their backoff) are gone with them.
  vi.clearAllTimers();
  const world = createFaultWorld({ storePlan: plan.storePlan, transportPlan: plan.transportPlan, keyedIds: plan.keyedIds });
  const clients = new Map<ClientId, E164>(PHONES.slice(0, INITIAL_CLIENTS).map((phone, i) => [clientId(`client-${i + 1}`), phone]));
  await settled(
    'set-up',
    setUpBusiness(world.checker, {
      number: at(BUSINESS_NUMBERS, 0),
      messagesPerPeriod: plan.allotment,
      clients: [...clients].map(([id, phone]) => ({ id, name: `Client ${id}`, phone })),
    }),
    { progress: world.progress },
  );
  const model: Model = {
    allotment: plan.allotment,
    number: at(BUSINESS_NUMBERS, 0),
    numbersLeft: BUSINESS_NUMBERS.slice(1),
    retired: [],
    clients,
    phones: new Map(),
    deliveries: [],
    acknowledged: new Map(),
    messages: new Map(),
    failedSends: [],
    counter: 0,
  };
  return { model, real: { world, current: world.facade('gen-0'), generation: 0 } };
};

const HOUR_MS = 3_600_000;

/** What one run handed over: messages that reached the provider, and the repeats of the outbox's edge by cause. */
export interface RunTally {
  readonly messages: number;
  readonly repeats: ReadonlyMap<string, number>;
}

export const tallyOf = (real: Real): RunTally => {
  const repeats = new Map<string, number>();
  for (const r of repeatedHandOvers(real.world.journal)) repeats.set(r.edge ?? 'duplicate', (repeats.get(r.edge ?? 'duplicate') ?? 0) + 1);
  return { messages: deliveriesByMessage(real.world.journal).size, repeats };
};

export const finishRun = async (model: Model, real: Real): Promise<void> => {
  await checkInbound(model, real, model.deliveries);
  const { world } = real;
  world.store.setPlan(healthyStorePlan);
  world.transport.setPlan(healthyTransportPlan);
  vi.setSystemTime(Date.now() + HOUR_MS);
  real.current.crash();
  real.current = world.facade('after-recovery');
  const start = stepStart(model, world.journal.tick());
  for (const sweep of ['first', 'second']) await call(real, `${sweep} sweep after recovery`, () => real.current.mc.dispatchPending()());
  checkHandOvers(model, real, start);
  checkAtMostOnce(real);
  checkAllotment(model, real);
  await checkBadge(real);
  for (const id of model.clients.keys()) {
    const view = await call(real, 'conversation', () => world.checker.conversation({ businessId: BUSINESS, conversationId: id, viewer: STAFF })());
    if (E.isLeft(view)) continue;
    const stuck = view.right.deliveries.filter((d) => d.status === 'pending');
    if (stuck.length > 0)
      throw new InvariantViolation(`messages still pending after recovery (lost from the outbox): ${stuck.map((d) => `${d.messageId} to ${id}`).join(', ')}`);
  }
};
