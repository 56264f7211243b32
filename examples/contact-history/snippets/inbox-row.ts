// One inbox row, whole: what a list item of the inbox can show.
import { businessId, dana, openSalon, run } from './salon.js';

const { mc } = await openSalon();
const page = await run(mc.inbox({ businessId, viewer: dana, view: 'unread', limit: 1 }));
console.log(JSON.stringify(page.rows[0], null, 2));
