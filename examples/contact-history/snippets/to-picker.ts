// The To: picker (R2, issue 13): any client of the salon, with or without a conversation, by what staff type.
import { businessId, dana, host, openSalon, run } from './salon.js';

const { mc } = await openSalon();
// Two clients who have never texted: one with a cell phone, one with only a landline (C2).
await run(mc.recordClient({ businessId, actor: host, clientId: 'cl-1005', uid: 'A-1005', name: 'Eva Lindqvist', email: 'eva@lindqvist.se', cellPhone: '(415) 555-0188' }));
await run(mc.recordClient({ businessId, actor: host, clientId: 'cl-1006', uid: 'A-1006', name: 'Anatole Brun', cellPhone: null }));

for (const query of ['ana', 'eva lind', '555-0188', '2671', 'ZOE@EXAMPLE.ORG', 'A-1004', 'cl-1002']) {
  const page = await run(mc.findClients({ businessId, viewer: dana, query }));
  const rows = page.clients.map(
    (c) => `${c.name} (${c.match}${c.conversationId === null ? ', no conversation' : ''}${c.canText ? '' : `, cannot text: ${c.reason?.code ?? ''}`})`,
  );
  console.log(`${JSON.stringify(query).padEnd(18)} → ${rows.join('; ') || '(none)'}`);
}
