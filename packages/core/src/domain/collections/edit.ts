/**
 * Permission for one batch to update in place the nodes of a persistent collection it created itself
 * (Clojure's "transients").
 *
 * Why this is still pure: a node is written only while `node.owner === edit` and `edit` is open; an edit is
 * opened by {@link withEdit} for one fold, never stored in a state, and closed before the fold returns.
 * Every node reachable from a returned state is therefore owned by a closed edit (or none) and never
 * written again.
 */
export class Edit {
  #open = true;

  get open(): boolean {
    return this.#open;
  }

  close(): void {
    this.#open = false;
  }
}

/** Runs `f` with a fresh edit and closes the edit afterwards, whatever happens. */
export const withEdit = <R>(f: (edit: Edit) => R): R => {
  const edit = new Edit();
  try {
    return f(edit);
  } finally {
    edit.close();
  }
};

export const assertOpen = (edit: Edit): void => {
  // A closed edit would let a later fold write into nodes of a published state.
  if (!edit.open) throw new Error('persistent collections: this edit is closed');
};
