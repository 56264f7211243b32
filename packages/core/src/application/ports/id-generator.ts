/** Where new ids come from (message ids, event ids); injected so that tests are deterministic. */
export interface IdGenerator {
  /** A new UUID. */
  readonly uuid: () => string;
  /**
   * The same UUID for the same key, every time (e.g. UUIDv5). Optional: when present, events decided
   * from a keyed command (an inbound SMS's provider id, a message id) get ids derived from the key, so
   * a store that deduplicates appends by event id also ignores a replayed command.
   */
  readonly uuidFromKey?: (key: string) => string;
}
