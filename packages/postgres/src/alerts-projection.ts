import type { ClientBase } from 'pg';
import { emptyAlerts, foldAlerts, foldAlertsWith, type Alert, type DomainEventType, type EventEnvelope } from '@message-center/core/internals';
import { eventOf, storedAlertOf, storedEventOf } from './alert-rows.js';
import type { PgProjection } from './pg-projection.js';
import { bigintColumnOf, columnOf } from './rows.js';
import { storedText, textFromStored } from './stored-text.js';

// R7 and V8 in PostgreSQL: the alerts core's `foldAlertsWith` raises (read-models/alerts.ts), derived by that
// fold itself. Core keeps its fold's state in memory (conversation stream -> business, conversation, client,
// muted; client -> name); here that state is kept as the events it comes from: per stream its last
// ConversationStarted and its last ConversationMuted/Unmuted, per client its last ClientProfileRecorded (each
// of them overwrites what the one before set, so the last one and the order between kinds is all the fold
// needs). A batch loads those of the streams it receives messages on, folds them again with core's
// `foldAlerts` in log order, then folds the batch itself with `foldAlertsWith`: the alerts it raises (muting,
// the client's name as of the message, the preview, media-only labels, all core's) are written as rows.

export const ALERTS_PROJECTION = 'alerts';

const ALERTS_EVENTS: ReadonlySet<DomainEventType> = new Set<DomainEventType>(['ClientProfileRecorded', 'ConversationStarted', 'ConversationMuted', 'ConversationUnmuted', 'InboundReceived']);

/** One client's key in the batch's maps (any string may be an id, NUL included). */
const clientKey = (businessId: string, clientId: string): string => JSON.stringify([businessId, clientId]);

const numbers = (row: unknown): { readonly commit: bigint; readonly prepare: bigint; readonly revision: bigint } | null => {
  const commit = bigintColumnOf(row, 'commit');
  const prepare = bigintColumnOf(row, 'prepare');
  const revision = bigintColumnOf(row, 'revision');
  return commit === null || prepare === null || revision === null ? null : { commit, prepare, revision };
};

/** The kept events the batch's messages depend on, in log order, as envelopes for core's fold. */
const loadKeptEvents = async (client: ClientBase, batch: ReadonlyArray<EventEnvelope>): Promise<ReadonlyArray<EventEnvelope>> => {
  const streams = new Set<string>();
  const clients = new Map<string, { readonly businessId: string; readonly clientId: string }>();
  for (const { streamId, event } of batch) {
    if (event.type === 'InboundReceived') streams.add(streamId);
    // A conversation the batch starts needs its client's name as kept from earlier batches.
    if (event.type === 'ConversationStarted' && event.data.clientId !== null)
      clients.set(clientKey(event.data.businessId, event.data.clientId), { businessId: event.data.businessId, clientId: event.data.clientId });
  }
  if (streams.size === 0) return [];
  const wanted = [...clients.values()];
  const { rows } = await client.query(
    `WITH s AS (SELECT * FROM message_center_alert_streams WHERE stream_id = ANY($1::text[])),
          wanted AS (SELECT business_id, client_id FROM s WHERE client_id IS NOT NULL
                     UNION SELECT * FROM unnest($2::text[], $3::text[]))
     SELECT f.stream_id, f.event, f.c::text AS commit, f.p::text AS prepare, f.r::text AS revision
       FROM (SELECT stream_id, started AS event, started_commit AS c, started_prepare AS p, started_revision AS r FROM s WHERE started IS NOT NULL
             UNION ALL
             SELECT stream_id, muting, muting_commit, muting_prepare, muting_revision FROM s WHERE muting IS NOT NULL
             UNION ALL
             SELECT cl.stream_id, cl.profile, cl.commit_position, cl.prepare_position, cl.revision
               FROM message_center_alert_clients cl JOIN wanted w ON cl.business_id = w.business_id AND cl.client_id = w.client_id) f
      ORDER BY f.c, f.p`,
    [[...streams].map(storedText), wanted.map((w) => storedText(w.businessId)), wanted.map((w) => storedText(w.clientId))],
  );
  return rows.map((row: unknown): EventEnvelope => {
    const stored = columnOf(row, 'stream_id');
    const streamId = typeof stored === 'string' ? textFromStored(stored) : null;
    const event = eventOf(columnOf(row, 'event'));
    const at = numbers(row);
    if (streamId === null || event === null || at === null) throw new Error('the alerts tables hold an event this code cannot read');
    return { streamId, revision: at.revision, position: { commit: at.commit, prepare: at.prepare }, event };
  });
};

const writeAlerts = async (client: ClientBase, alerts: ReadonlyArray<Alert>): Promise<void> => {
  if (alerts.length === 0) return;
  await client.query(
    `INSERT INTO message_center_alerts (business_id, commit_position, prepare_position, alert)
     SELECT * FROM unnest($1::text[], $2::numeric[], $3::numeric[], $4::json[])`,
    [
      alerts.map((a) => storedText(a.businessId)),
      alerts.map((a) => a.position.commit.toString()),
      alerts.map((a) => a.position.prepare.toString()),
      alerts.map((a) => JSON.stringify(storedAlertOf(a))),
    ],
  );
};

const positionsOf = (envelopes: ReadonlyArray<EventEnvelope>): ReadonlyArray<ReadonlyArray<string>> => [
  envelopes.map((e) => e.position.commit.toString()),
  envelopes.map((e) => e.position.prepare.toString()),
  envelopes.map((e) => e.revision.toString()),
];

/** Keeps the batch's last event of each kind per stream or client (the maps hold the last, in log order). */
interface Kept {
  /** Per stream: its last ConversationStarted, with the business and client it names. */
  readonly started: ReadonlyMap<string, { readonly envelope: EventEnvelope; readonly businessId: string; readonly clientId: string | null }>;
  /** Per stream: its last ConversationMuted or ConversationUnmuted. */
  readonly muting: ReadonlyMap<string, EventEnvelope>;
  /** Per client: its last ClientProfileRecorded. */
  readonly profiles: ReadonlyMap<string, { readonly envelope: EventEnvelope; readonly businessId: string; readonly clientId: string }>;
}

const writeKeptEvents = async (client: ClientBase, kept: Kept): Promise<void> => {
  const started = [...kept.started.values()];
  if (started.length > 0)
    await client.query(
      `INSERT INTO message_center_alert_streams AS s (stream_id, business_id, client_id, started, started_commit, started_prepare, started_revision)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::json[], $5::numeric[], $6::numeric[], $7::numeric[])
       ON CONFLICT (stream_id) DO UPDATE SET business_id = EXCLUDED.business_id, client_id = EXCLUDED.client_id, started = EXCLUDED.started,
         started_commit = EXCLUDED.started_commit, started_prepare = EXCLUDED.started_prepare, started_revision = EXCLUDED.started_revision`,
      [
        started.map((s) => storedText(s.envelope.streamId)),
        started.map((s) => storedText(s.businessId)),
        started.map((s) => (s.clientId === null ? null : storedText(s.clientId))),
        started.map((s) => storedEventOf(s.envelope.event)),
        ...positionsOf(started.map((s) => s.envelope)),
      ],
    );
  const muting = [...kept.muting.values()];
  if (muting.length > 0)
    await client.query(
      `INSERT INTO message_center_alert_streams AS s (stream_id, muting, muting_commit, muting_prepare, muting_revision)
       SELECT * FROM unnest($1::text[], $2::json[], $3::numeric[], $4::numeric[], $5::numeric[])
       ON CONFLICT (stream_id) DO UPDATE SET muting = EXCLUDED.muting,
         muting_commit = EXCLUDED.muting_commit, muting_prepare = EXCLUDED.muting_prepare, muting_revision = EXCLUDED.muting_revision`,
      [muting.map((e) => storedText(e.streamId)), muting.map((e) => storedEventOf(e.event)), ...positionsOf(muting)],
    );
  const profiles = [...kept.profiles.values()];
  if (profiles.length > 0)
    await client.query(
      `INSERT INTO message_center_alert_clients AS c (business_id, client_id, stream_id, profile, commit_position, prepare_position, revision)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::json[], $5::numeric[], $6::numeric[], $7::numeric[])
       ON CONFLICT (business_id, client_id) DO UPDATE SET stream_id = EXCLUDED.stream_id, profile = EXCLUDED.profile,
         commit_position = EXCLUDED.commit_position, prepare_position = EXCLUDED.prepare_position, revision = EXCLUDED.revision`,
      [
        profiles.map((p) => storedText(p.businessId)),
        profiles.map((p) => storedText(p.clientId)),
        profiles.map((p) => storedText(p.envelope.streamId)),
        profiles.map((p) => storedEventOf(p.envelope.event)),
        ...positionsOf(profiles.map((p) => p.envelope)),
      ],
    );
};

const applyAlerts = async (client: ClientBase, batch: ReadonlyArray<EventEnvelope>): Promise<void> => {
  // Core's state as of the batch's start, for what the batch reads; then the batch through core's fold.
  const before = foldAlerts(emptyAlerts, await loadKeptEvents(client, batch));
  const { raised } = foldAlertsWith(before, batch);
  const kept = { started: new Map<string, { envelope: EventEnvelope; businessId: string; clientId: string | null }>(), muting: new Map<string, EventEnvelope>(), profiles: new Map<string, { envelope: EventEnvelope; businessId: string; clientId: string }>() };
  for (const envelope of batch) {
    const { streamId, event } = envelope;
    if (event.type === 'ConversationStarted') kept.started.set(streamId, { envelope, businessId: event.data.businessId, clientId: event.data.clientId });
    else if (event.type === 'ConversationMuted' || event.type === 'ConversationUnmuted') kept.muting.set(streamId, envelope);
    else if (event.type === 'ClientProfileRecorded')
      kept.profiles.set(clientKey(event.data.businessId, event.data.clientId), { envelope, businessId: event.data.businessId, clientId: event.data.clientId });
  }
  await writeAlerts(client, raised);
  await writeKeptEvents(client, kept);
};

/** R7 and V8 as a PostgreSQL projection: tables of migration 7, checkpoint `alerts`. */
export const alertsPgProjection: PgProjection = { name: ALERTS_PROJECTION, handles: ALERTS_EVENTS, apply: applyAlerts };
