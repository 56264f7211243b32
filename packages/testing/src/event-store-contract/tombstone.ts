import { describe, expect, it } from 'vitest';
import type { ExpectedRevision } from '@message-center/core';
import { append, expectLeft, expectRight, newEvent, newEvents, uniqueName, type TargetRef } from './support.js';

export const describeTombstone = (target: TargetRef): void => {
  describe('deleted stream (tombstone)', () => {
    it('answers stream-deleted to reads and to appends with any expected revision', async (context) => {
      const { store, deleteStream } = target();
      if (deleteStream === undefined) return context.skip('the target offers no deleteStream');
      const stream = uniqueName('tombstone');
      await expectRight(append(store, stream, newEvents(2), 'no-stream'));
      await deleteStream(stream);

      const deleted = { code: 'stream-deleted', streamId: stream };
      expect(await expectLeft(store.readStream(stream))).toMatchObject(deleted);
      const expectations: ReadonlyArray<ExpectedRevision> = ['any', 'no-stream', 'stream-exists', 1n];
      for (const expectedRevision of expectations) {
        expect(await expectLeft(append(store, stream, [newEvent()], expectedRevision))).toMatchObject(deleted);
      }
    });
  });
};
