// Walking an inbox through its cursors, as the read-model store contract does (`@message-center/testing`).
export * from '../../../testing/src/read-model-store-contract/inbox-walk.js';
