import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { emptyAlerts, foldAlerts } from '../../src/read-models/alerts.js';
import { emptyInbox, foldInbox } from '../../src/read-models/inbox.js';
import { readModelsProjection } from '../../src/read-models/read-models.js';
import { emptyUsage, foldUsage } from '../../src/read-models/usage.js';
import { foldSplit, snapshotAlerts, snapshotInbox, snapshotUsage } from './support.js';
import { cutsArb, splitAt, worldArb } from './world.js';
import { HEAVY_TIMEOUT, heavyRuns } from '../heavy-property.js';

describe('R1–R7 replay = incremental', () => {
  test.prop([worldArb(), cutsArb], { numRuns: heavyRuns(60) })(
    'R1 R2 R3 R4 folding the inbox in any split of the log equals folding it at once',
    (world, cuts) => {
      const whole = foldInbox(emptyInbox, world.log);
      const split = foldSplit(emptyInbox, foldInbox, world.log, cuts);
      expect(snapshotInbox(split)).toEqual(snapshotInbox(whole));
      // One event at a time (live delivery) too.
      const single = world.log.reduce((s, e) => foldInbox(s, [e]), emptyInbox);
      expect(snapshotInbox(single)).toEqual(snapshotInbox(whole));
    },
    HEAVY_TIMEOUT,
  );

  test.prop([worldArb(), cutsArb], { numRuns: heavyRuns(40) })('R6 R7 usage and alerts: any split equals at once', (world, cuts) => {
    expect(snapshotUsage(foldSplit(emptyUsage, foldUsage, world.log, cuts))).toEqual(snapshotUsage(foldUsage(emptyUsage, world.log)));
    const retain = 7;
    const alerts = (s: typeof emptyAlerts, b: typeof world.log) => foldAlerts(s, b, retain);
    expect(snapshotAlerts(foldSplit(emptyAlerts, alerts, world.log, cuts))).toEqual(snapshotAlerts(alerts(emptyAlerts, world.log)));
  }, HEAVY_TIMEOUT);

  test.prop([worldArb(40), cutsArb], { numRuns: heavyRuns(30) })('R1–R7 the combined projection: any split equals at once', (world, cuts) => {
    const p = readModelsProjection({ alertRetention: 5 });
    const whole = p.fold(p.initial, world.log);
    const split = splitAt(world.log, cuts).reduce(p.fold, p.initial);
    expect(snapshotInbox(split.inbox)).toEqual(snapshotInbox(whole.inbox));
    expect(snapshotAlerts(split.alerts)).toEqual(snapshotAlerts(whole.alerts));
    expect(snapshotUsage(split.usage)).toEqual(snapshotUsage(whole.usage));
  }, HEAVY_TIMEOUT);

  test.prop([worldArb(), cutsArb], { numRuns: heavyRuns(40) })(
    'R1–R7 folds are pure: folding more events never changes a state returned before',
    (world, cuts) => {
      const batches = splitAt(world.log, cuts);
      let inbox = emptyInbox;
      let usage = emptyUsage;
      let alerts = emptyAlerts;
      for (const batch of batches) {
        const before = { inbox: snapshotInbox(inbox), usage: snapshotUsage(usage), alerts: snapshotAlerts(alerts) };
        const next = { inbox: foldInbox(inbox, batch), usage: foldUsage(usage, batch), alerts: foldAlerts(alerts, batch) };
        // The old states are still exactly what they were, and refolding them gives the same result.
        expect({ inbox: snapshotInbox(inbox), usage: snapshotUsage(usage), alerts: snapshotAlerts(alerts) }).toEqual(before);
        expect(snapshotInbox(foldInbox(inbox, batch))).toEqual(snapshotInbox(next.inbox));
        inbox = next.inbox;
        usage = next.usage;
        alerts = next.alerts;
      }
    },
    HEAVY_TIMEOUT,
  );
});
