// The generated histories are the read-model store contract's (`@message-center/testing`), shared with it.
export * from '../../../testing/src/read-model-store-contract/histories.js';
