import type { ClientBase } from 'pg';
import { billingPeriodOf, businessOfStream, type DomainEventType, type EventEnvelope } from '@message-center/core/internals';
import type { PgProjection } from './pg-projection.js';
import { storedText } from './stored-text.js';


// R6 usage in PostgreSQL: the rows core's `foldUsage` keeps in memory (read-models/usage.ts), from the same
// events and by the same rules. A batch is written in a few set-based statements rather than one per event:
// plans, then conversations' businesses, then message counts summed per business and period.

export const USAGE_PROJECTION = 'usage';

const USAGE_EVENTS: ReadonlySet<DomainEventType> = new Set<DomainEventType>(['MessageCenterEnabled', 'PlanChanged', 'ConversationStarted', 'InboundReceived', 'OutboundSent']);

interface PlanRow {
  readonly businessId: string;
  readonly commit: string;
  readonly prepare: string;
  readonly period: string;
  readonly messagesPerPeriod: number;
  readonly overage: string;
}

interface MessageRow {
  readonly streamId: string;
  readonly period: string;
  readonly inbound: number;
  readonly outbound: number;
  readonly overage: number;
  readonly inboundSegments: number;
  readonly outboundSegments: number;
}

/**
 * A run of the batch that can be written set-wise: its conversations' businesses first, then its messages.
 * A message counts for the business its stream has when it is recorded, so a run ends before a
 * ConversationStarted of a stream that already has messages in the run.
 */
interface Run {
  readonly conversations: Map<string, string>;
  readonly messages: MessageRow[];
  readonly streamsWithMessages: Set<string>;
}

const newRun = (): Run => ({ conversations: new Map(), messages: [], streamsWithMessages: new Set() });

const insertPlans = async (client: ClientBase, plans: ReadonlyArray<PlanRow>): Promise<void> => {
  if (plans.length === 0) return;
  await client.query(
    `INSERT INTO message_center_usage_plans (business_id, commit_position, prepare_position, period, messages_per_period, overage)
     SELECT * FROM unnest($1::text[], $2::numeric[], $3::numeric[], $4::text[], $5::bigint[], $6::text[])`,
    [
      plans.map((p) => storedText(p.businessId)),
      plans.map((p) => p.commit),
      plans.map((p) => p.prepare),
      plans.map((p) => p.period),
      plans.map((p) => p.messagesPerPeriod),
      plans.map((p) => p.overage),
    ],
  );
};

const writeRun = async (client: ClientBase, run: Run): Promise<void> => {
  if (run.conversations.size > 0) {
    // The last ConversationStarted of a stream wins, as `PHashMap.set` does in core.
    await client.query(
      `INSERT INTO message_center_usage_conversations (stream_id, business_id)
       SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (stream_id) DO UPDATE SET business_id = EXCLUDED.business_id`,
      [[...run.conversations.keys()].map(storedText), [...run.conversations.values()].map(storedText)],
    );
  }
  if (run.messages.length === 0) return;
  // A message of a stream without a business (no ConversationStarted yet) counts nowhere, as in core: the join drops it.
  await client.query(
    `INSERT INTO message_center_usage AS u (business_id, period, inbound, outbound, overage, inbound_segments, outbound_segments)
     SELECT c.business_id, m.period, sum(m.inbound), sum(m.outbound), sum(m.overage), sum(m.inbound_segments), sum(m.outbound_segments)
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])
       AS m(stream_id, period, inbound, outbound, overage, inbound_segments, outbound_segments)
     JOIN message_center_usage_conversations c ON c.stream_id = m.stream_id
     GROUP BY c.business_id, m.period
     ON CONFLICT (business_id, period) DO UPDATE SET
       inbound = u.inbound + EXCLUDED.inbound,
       outbound = u.outbound + EXCLUDED.outbound,
       overage = u.overage + EXCLUDED.overage,
       inbound_segments = u.inbound_segments + EXCLUDED.inbound_segments,
       outbound_segments = u.outbound_segments + EXCLUDED.outbound_segments`,
    [
      run.messages.map((m) => storedText(m.streamId)),
      run.messages.map((m) => m.period),
      run.messages.map((m) => m.inbound),
      run.messages.map((m) => m.outbound),
      run.messages.map((m) => m.overage),
      run.messages.map((m) => m.inboundSegments),
      run.messages.map((m) => m.outboundSegments),
    ],
  );
};

const applyUsage = async (client: ClientBase, batch: ReadonlyArray<EventEnvelope>): Promise<void> => {
  const plans: PlanRow[] = [];
  let run = newRun();
  const runs: Run[] = [run];
  const plan = (businessId: string, { position }: EventEnvelope, at: string, allotment: { readonly messagesPerPeriod: number; readonly overage: string }): void => {
    plans.push({
      businessId,
      commit: position.commit.toString(),
      prepare: position.prepare.toString(),
      period: billingPeriodOf(at),
      messagesPerPeriod: allotment.messagesPerPeriod,
      overage: allotment.overage,
    });
  };
  for (const envelope of batch) {
    const { streamId, event } = envelope;
    switch (event.type) {
      case 'MessageCenterEnabled':
        plan(event.data.businessId, envelope, event.data.at, event.data.allotment);
        break;
      case 'PlanChanged': {
        // Business events after MessageCenterEnabled carry no business id: it is the stream's.
        const businessId = businessOfStream(streamId);
        if (businessId !== null) plan(businessId, envelope, event.data.at, event.data.allotment);
        break;
      }
      case 'ConversationStarted':
        if (run.streamsWithMessages.has(streamId)) {
          run = newRun();
          runs.push(run);
        }
        run.conversations.set(streamId, event.data.businessId);
        break;
      case 'InboundReceived':
      case 'OutboundSent': {
        const inbound = event.type === 'InboundReceived';
        run.messages.push({
          streamId,
          period: billingPeriodOf(event.data.at),
          inbound: inbound ? 1 : 0,
          outbound: inbound ? 0 : 1,
          overage: event.type === 'OutboundSent' && event.data.overage ? 1 : 0,
          inboundSegments: inbound ? event.data.segments : 0,
          outboundSegments: inbound ? 0 : event.data.segments,
        });
        run.streamsWithMessages.add(streamId);
        break;
      }
      default:
        break;
    }
  }
  await insertPlans(client, plans);
  for (const each of runs) await writeRun(client, each);
};

/** R6 usage as a PostgreSQL projection: tables of migration 2, checkpoint `usage`. */
export const usagePgProjection: PgProjection = { name: USAGE_PROJECTION, handles: USAGE_EVENTS, apply: applyUsage };
