/**
 * One step of the package's schema. Versions run 1, 2, 3, … without gaps, in the order they apply. A
 * released migration is never edited (its checksum is recorded where it ran, and `migrate` refuses a
 * database whose record differs): a change is a new migration.
 *
 * `sql` runs in one transaction, with `search_path` set to the target schema first and `public` second, so
 * it names the package's tables unqualified. It holds no transaction control (BEGIN, COMMIT) and nothing that
 * cannot run in a transaction (CREATE INDEX CONCURRENTLY): it is applied and recorded all or nothing.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
