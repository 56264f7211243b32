// The consumer scenario, shared by the ES module and the CommonJS entry: a business chooses a suggested number and
// enables the Message Center, records a client, sends a message, receives STOP and reads the inbox, all on the
// in-memory store and the embedded number provisioning.
// It checks each answer and throws on the first one that is wrong.
const assert = require('node:assert/strict');

module.exports = async function scenario(core) {
  const right = async (task, what) => {
    const result = await task();
    assert.equal(result._tag, 'Right', `${what}: ${JSON.stringify(result.left)}`);
    return result.right;
  };
  const transport = core.createInMemorySmsTransport();
  const mc = core.createMessageCenter({ store: core.createInMemoryEventStore(), transport });
  const businessId = 'salon-42';
  const dana = { kind: 'staff', businessId, staffId: 'dana', permissions: [core.SEND_PERMISSION] };
  const host = { kind: 'host', businessId };

  const suggested = await right(mc.suggestNumbers({ businessId, actor: host, country: 'US', areaCode: '201', limit: 3 }), 'suggestNumbers');
  assert.equal(suggested.length, 3);
  const enabled = await right(
    mc.enableMessageCenter({ businessId, actor: host, country: 'US', number: suggested[0].number, allotment: { messagesPerPeriod: 500, overage: 'refuse' } }),
    'enableMessageCenter',
  );
  assert.equal(enabled.number, suggested[0].number);
  const client = await right(mc.recordClient({ businessId, actor: host, clientId: 'ana', uid: 'A-1', name: 'Ana Lima', cellPhone: '415.555.2671' }), 'recordClient');
  assert.equal(client.cellPhone, '+14155552671');
  const sent = await right(mc.sendMessage({ businessId, clientId: 'ana', actor: dana, body: 'See you tomorrow at 10!' }), 'sendMessage');
  assert.equal(sent.conversationId, 'ana');
  assert.notEqual(sent.status, 'failed');
  assert.equal(transport.sent.length, 1);

  const stop = await right(mc.receiveInbound({ to: enabled.number, from: '+14155552671', body: 'STOP', providerMessageId: 'SM0123456789abcdef0123456789abcdef' }), 'receiveInbound');
  assert.equal(stop.subscription.status, 'unsubscribed');
  const refused = await mc.sendMessage({ businessId, clientId: 'ana', actor: dana, body: 'Still there?' })();
  assert.equal(refused._tag, 'Left');
  assert.equal(refused.left.code, 'client-unsubscribed');
  assert.equal(transport.sent.length, 1);

  const page = await right(mc.inbox({ businessId, viewer: dana }), 'inbox');
  assert.equal(page.rows.length, 1);
  assert.equal(page.rows[0].conversationId, 'ana');
  assert.equal(page.rows[0].folder, 'unread');
  assert.equal(await right(mc.unreadBadge({ businessId, viewer: dana }), 'unreadBadge'), 1);
  return 'scenario passed';
};
