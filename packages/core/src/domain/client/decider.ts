import * as E from 'fp-ts/lib/Either.js';
import { authorize, COMMAND_OPERATION } from '../authorization.js';
import { makeDecider } from '../decider.js';
import type { DomainError } from '../errors.js';
import { describePhoneProblem, parseCellPhone } from '../values/phone-number.js';
import type { CellPhone, ClientEvent } from './events.js';
import type { ClientCommand } from './commands.js';
import { initialClientState, type ClientProfile, type ClientState } from './state.js';

const MAX_TEXT = 500;
// Deliberately loose: the host owns e-mail validation; this only keeps obvious garbage out of search.
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** C2: a client without a valid cell phone is still recorded, with the reason it cannot receive SMS. */
const cellPhoneOf = (command: ClientCommand): CellPhone => {
  if (command.cellPhone === null || command.cellPhone.trim() === '')
    return { raw: command.cellPhone, e164: null, problem: 'no cell phone' };
  const parsed = parseCellPhone(command.cellPhone, command.defaultCountry);
  return E.isRight(parsed)
    ? { raw: command.cellPhone, e164: parsed.right.e164, problem: null }
    : { raw: command.cellPhone, e164: null, problem: describePhoneProblem(parsed.left) };
};

const inputProblems = (c: ClientCommand): ReadonlyArray<string> => [
  ...(c.name.trim() === '' ? ['name: a client needs a name'] : []),
  ...(c.name.length > MAX_TEXT ? [`name: at most ${MAX_TEXT} characters`] : []),
  ...(c.uid.length > MAX_TEXT ? [`uid: at most ${MAX_TEXT} characters`] : []),
  ...(c.email !== null && !EMAIL.test(c.email) ? ['email: not an e-mail address'] : []),
  ...(c.groups.some((g) => g.trim() === '') ? ['groups: a group name is empty'] : []),
];

const sameProfile = (a: ClientProfile, b: ClientProfile): boolean =>
  a.uid === b.uid &&
  a.name === b.name &&
  a.email === b.email &&
  a.cellPhone.raw === b.cellPhone.raw &&
  a.cellPhone.e164 === b.cellPhone.e164 &&
  a.cellPhone.problem === b.cellPhone.problem &&
  a.clientType === b.clientType &&
  a.homeLocation === b.homeLocation &&
  a.groups.length === b.groups.length &&
  a.groups.every((g, i) => g === b.groups[i]);

const decide = (command: ClientCommand, state: ClientState): E.Either<DomainError, ReadonlyArray<ClientEvent>> => {
  const authorized = authorize(COMMAND_OPERATION.RecordClient, command.actor, command.businessId);
  if (E.isLeft(authorized)) return authorized;
  const problems = inputProblems(command);
  if (problems.length > 0)
    return E.left({ code: 'invalid-input', message: `client ${command.clientId}: ${problems.join('; ')}`, problems });
  const profile: ClientProfile = {
    businessId: command.businessId,
    clientId: command.clientId,
    uid: command.uid,
    name: command.name,
    email: command.email,
    cellPhone: cellPhoneOf(command),
    clientType: command.clientType,
    groups: command.groups,
    homeLocation: command.homeLocation,
  };
  // Hosts re-send whole profiles; an unchanged one is not a new fact.
  if (state.profile !== null && sameProfile(state.profile, profile)) return E.right([]);
  return E.right([{ type: 'ClientProfileRecorded', data: { ...profile, at: command.at } }]);
};

export const clientDecider = makeDecider<ClientCommand, ClientState, ClientEvent>({
  initialState: initialClientState,
  decide,
  apply: (draft, event) => {
    const { at: _at, groups, ...profile } = event.data;
    draft.profile = { ...profile, groups: [...groups] };
  },
});
