import type { BusinessId, ClientId } from '../values/ids.js';
import type { CellPhone } from './events.js';

export interface ClientProfile {
  readonly businessId: BusinessId;
  readonly clientId: ClientId;
  readonly uid: string;
  readonly name: string;
  readonly email: string | null;
  readonly cellPhone: CellPhone;
  readonly clientType: string;
  readonly groups: ReadonlyArray<string>;
  readonly homeLocation: string | null;
}

export interface ClientState {
  readonly profile: ClientProfile | null;
}

export const initialClientState: ClientState = { profile: null };
