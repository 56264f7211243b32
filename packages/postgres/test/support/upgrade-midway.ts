// A migration that fills its tables from the rows already there, tried on a database that holds rows when it
// comes: the shared steps of the upgrade tests.
import type { Pool } from 'pg';
import { migrate, migrateWith } from '../../src/migrations.js';
import { MIGRATIONS } from '../../src/schema/migration-list.js';
import type { Migration } from '../../src/schema/migration.js';
import { newWorld, type HistoryStep, type World } from './histories.js';
import { copyRows, freshSchema, right } from './migration-fixtures.js';
import { migratedSchema } from './runner-fixtures.js';

/** A history's world, a schema of every migration folded from the start, and one upgraded to `migration` midway. */
export interface Upgrade {
  readonly world: World;
  readonly fresh: string;
  readonly upgraded: string;
}

export interface UpgradeMidway<S = HistoryStep> {
  readonly pool: Pool;
  readonly steps: ReadonlyArray<S>;
  /** Plays steps on the world. */
  readonly play: (world: World, steps: ReadonlyArray<S>) => Promise<void>;
  /** History played first, never cut (default none: the steps start the history). */
  readonly start?: ReadonlyArray<HistoryStep>;
  /** How many of the first steps always come before the cut (default 0). */
  readonly keep?: number;
  /** Where the rest of the steps is cut, in %. */
  readonly cutAt: number;
  readonly migration: Migration;
  readonly label: string;
  /** Folds the world's log into a schema (the runner under test). */
  readonly fold: (world: World, schema: string) => Promise<void>;
  /** After the upgrade. */
  readonly upgraded: (upgrade: Upgrade) => Promise<void>;
  /** After the rest of the history is folded into both schemas. */
  readonly foldedOn: (upgrade: Upgrade) => Promise<void>;
}

/**
 * The history's first `cutAt` % (after `start` and the first `keep` steps) folded into a fresh schema of every
 * migration; its rows copied into a schema migrated up to just before `migration`, which is then migrated on
 * (`upgraded` checks it); then the rest of the history folded into both (`foldedOn` checks them).
 */
export const upgradeMidwayWith = async <S>({ pool, steps, play, start = [], keep = 0, cutAt, migration, label, fold, upgraded, foldedOn }: UpgradeMidway<S>): Promise<void> => {
  const world = newWorld();
  const fresh = await migratedSchema(pool, `${label} fresh`);
  const older = freshSchema(`${label} upgraded`);
  await right(migrateWith(pool, MIGRATIONS.slice(0, MIGRATIONS.indexOf(migration)), { schema: older }));
  const kept = Math.min(keep, steps.length);
  const cut = kept + Math.floor(((steps.length - kept) * cutAt) / 100);
  await world.play(start);
  await play(world, steps.slice(0, cut));
  await fold(world, fresh);
  await copyRows(pool, fresh, older);
  await right(migrate(pool, { schema: older }));
  const upgrade: Upgrade = { world, fresh, upgraded: older };
  await upgraded(upgrade);
  await play(world, steps.slice(cut));
  await fold(world, older);
  await fold(world, fresh);
  await foldedOn(upgrade);
};

/** `upgradeMidwayWith` for a history of histories.ts's steps, played by `world.play`. */
export const upgradeMidway = (options: Omit<UpgradeMidway, 'play'>): Promise<void> => upgradeMidwayWith({ ...options, play: (world, steps) => world.play(steps) });
