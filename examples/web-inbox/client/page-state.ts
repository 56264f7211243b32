/** What the page shows and for whom: one object every part reads, and one way to say it changed. */
import type { Session } from './wire.js';

export interface PageState {
  session: Session;
  staffId: string;
  view: string;
  /** The conversation open in the pane, or null. */
  selected: string | null;
}

export interface Page {
  readonly state: PageState;
  /** Asks every part to show the current data again (after an action, a live event, a staff switch). */
  readonly refresh: () => Promise<void>;
  /** A message for the notice bar (null hides it). */
  readonly notify: (message: string | null) => void;
}
