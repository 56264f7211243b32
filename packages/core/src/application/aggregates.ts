import type { BusinessCommand } from '../domain/business/commands.js';
import { businessDecider } from '../domain/business/decider.js';
import { BusinessEvent } from '../domain/business/events.js';
import type { BusinessState } from '../domain/business/state.js';
import type { ClientCommand } from '../domain/client/commands.js';
import { clientDecider } from '../domain/client/decider.js';
import { ClientEvent } from '../domain/client/events.js';
import type { ClientState } from '../domain/client/state.js';
import type { ConversationCommand } from '../domain/conversation/commands.js';
import { conversationDecider } from '../domain/conversation/decider.js';
import { ConversationEvent } from '../domain/conversation/events.js';
import type { ConversationState } from '../domain/conversation/state.js';
import { numberDecider, type NumberCommand, type NumberState } from '../domain/number/decider.js';
import { NumberEvent } from '../domain/number/events.js';
import { createStateCache, type Aggregate } from './command-handler.js';
import { makeEventDecoder, type Upcaster } from './event-codec.js';
import { inboundClaimDecider, type ClaimInbound, type InboundClaimState } from '../domain/inbound-claim/decider.js';
import { InboundClaimEvent } from '../domain/inbound-claim/events.js';
import { phoneSubscriptionDecider, type PhoneSubscriptionCommand, type PhoneSubscriptionState } from '../domain/phone-subscription/decider.js';
import { PhoneSubscriptionEvent } from '../domain/phone-subscription/events.js';
import { usageLedgerDecider, type UsageLedgerCommand, type UsageLedgerState } from '../domain/usage-ledger/decider.js';
import { UsageLedgerEvent } from '../domain/usage-ledger/events.js';

/** The aggregates the use cases load and decide on: each decider with the decoder of its events. */
export interface Aggregates {
  readonly business: Aggregate<BusinessCommand, BusinessState, BusinessEvent>;
  readonly client: Aggregate<ClientCommand, ClientState, ClientEvent>;
  /** B1/B2: one business per number. */
  readonly number: Aggregate<NumberCommand, NumberState, NumberEvent>;
  readonly conversation: Aggregate<ConversationCommand, ConversationState, ConversationEvent>;
  /** V2 (issue 12): the first delivery of a provider message id, per business. */
  readonly inboundClaim: Aggregate<ClaimInbound, InboundClaimState, InboundClaimEvent>;
  /** V3 (issue 12): a phone's opt-out, per business. */
  readonly phoneSubscription: Aggregate<PhoneSubscriptionCommand, PhoneSubscriptionState, PhoneSubscriptionEvent>;
  /** B4 (issue 12): the messages of a business in a billing period. */
  readonly usageLedger: Aggregate<UsageLedgerCommand, UsageLedgerState, UsageLedgerEvent>;
}

/**
 * One facade's aggregates: decoders that apply the host's upcasters, and a cache of folded states per kind
 * (`cachedStates` each; number streams are short and read seldom, so they have none).
 */
export const createAggregates = (upcasters: ReadonlyArray<Upcaster>, cachedStates: number): Aggregates => ({
  business: { decider: businessDecider, decode: makeEventDecoder(BusinessEvent, upcasters), cache: createStateCache(cachedStates) },
  client: { decider: clientDecider, decode: makeEventDecoder(ClientEvent, upcasters), cache: createStateCache(cachedStates) },
  number: { decider: numberDecider, decode: makeEventDecoder(NumberEvent, upcasters) },
  conversation: { decider: conversationDecider, decode: makeEventDecoder(ConversationEvent, upcasters), cache: createStateCache(cachedStates) },
  inboundClaim: { decider: inboundClaimDecider, decode: makeEventDecoder(InboundClaimEvent, upcasters) },
  phoneSubscription: { decider: phoneSubscriptionDecider, decode: makeEventDecoder(PhoneSubscriptionEvent, upcasters), cache: createStateCache(cachedStates) },
  usageLedger: { decider: usageLedgerDecider, decode: makeEventDecoder(UsageLedgerEvent, upcasters), cache: createStateCache(cachedStates) },
});
