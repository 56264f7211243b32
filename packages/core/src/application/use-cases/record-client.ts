import * as TE from './task-either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { clientAddress } from '../../domain/streams.js';
import * as In from '../facade-inputs.js';
import { enabledBusiness, execute, type Deps } from './deps.js';
import { command } from './use-case.js';

/**
 * C1/C2: a client's profile as the host application has it. The phone is parsed in the business country;
 * a client without a valid cell phone is recorded but cannot be messaged.
 */
export const recordClient = (deps: Pick<Deps, 'store' | 'ids' | 'clock' | 'maxAttempts' | 'aggregates'>) =>
  command('RecordClient', In.RecordClientInput, (i) =>
    pipe(
      enabledBusiness(deps, i.businessId),
      TE.chain((business) =>
        execute(deps, deps.aggregates.client, clientAddress(i.businessId, i.clientId), () =>
          TE.right({
            type: 'RecordClient' as const,
            businessId: i.businessId,
            actor: i.actor,
            clientId: i.clientId,
            uid: i.uid,
            name: i.name,
            email: i.email ?? null,
            cellPhone: i.cellPhone ?? null,
            clientType: i.clientType ?? '',
            groups: i.groups ?? [],
            homeLocation: i.homeLocation ?? null,
            defaultCountry: business.country,
            at: deps.clock.now(),
          }),
        ),
      ),
      TE.map(({ state }) => ({ cellPhone: state.profile?.cellPhone.e164 ?? null, phoneProblem: state.profile?.cellPhone.problem ?? null })),
    ),
  );
