import { randomUUID } from 'node:crypto';

/** Where new ids come from (message ids, event ids); injected so that tests are deterministic. */
export interface IdGenerator {
  /** A new UUID (v4 or any other version the generator chooses). */
  readonly uuid: () => string;
}

export const randomIds: IdGenerator = { uuid: () => randomUUID() };
