import { StaffId } from '@message-center/core/internals';

/** With B3 off the viewer does not matter (V7: the shared mark counts for everyone); any id will do, as in core. */
export const ANYONE: StaffId = (() => {
  const id = '*';
  if (!StaffId.is(id)) throw new Error('unreachable: "*" is a staff id');
  return id;
})();
