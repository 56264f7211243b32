import * as E from 'fp-ts/lib/Either.js';
import * as TE from './task-either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as t from 'io-ts';
import type { Actor, BusinessActor } from '../../domain/actor.js';
import { authorize, COMMAND_OPERATION, type Operation } from '../../domain/authorization.js';
import type { DomainError } from '../../domain/errors.js';
import type { BusinessId } from '../../domain/values/ids.js';
import { internalError } from '../errors.js';
import { decodeInput } from '../facade-inputs.js';
import type { Result } from '../message-center-api.js';

// The steps every use case of the facade starts with: decode what the caller passed, then ask B0.

/** Makes and runs a task; whatever either step throws becomes `internal-error` (the facade never throws). */
export const guarded =
  <B>(make: () => Result<B>): Result<B> =>
  async () => {
    try {
      return await make()();
    } catch (cause) {
      return E.left(internalError(cause));
    }
  };

/** Decodes a caller's input, then runs the use case, guarded (as `guarded`, in the same step). */
export const decoded =
  <A, O>(codec: t.Type<A, O, unknown>, value: unknown) =>
  <B>(f: (a: A) => Result<B>): Result<B> =>
  async () => {
    const input = decodeInput(codec, value);
    if (E.isLeft(input)) return input;
    try {
      return await f(input.right)();
    } catch (cause) {
      return E.left(internalError(cause));
    }
  };

export const fromEither = <A>(e: E.Either<DomainError, A>): Result<A> => TE.fromEither(e);

/** B0, asked before anything is read, claimed or appended; the deciders and read models ask again. */
export const allowed = (operation: Operation, actor: Actor | BusinessActor, businessId: BusinessId): Result<void> =>
  fromEither(E.map(() => undefined)(authorize(operation, actor, businessId)));

/**
 * The shape of a command use case: decode the input, ask B0 for the command's operation, then `run` it
 * (load, decide, append). A refusal at either step reads and writes nothing.
 */
export const command =
  <I extends { readonly businessId: BusinessId; readonly actor: Actor | BusinessActor }, O, A>(
    type: keyof typeof COMMAND_OPERATION,
    codec: t.Type<I, O, unknown>,
    run: (i: I) => Result<A>,
  ) =>
  (input: O): Result<A> =>
    decoded(codec, input)((i) =>
      pipe(
        allowed(COMMAND_OPERATION[type], i.actor, i.businessId),
        TE.chain(() => run(i)),
      ),
    );
