// R1–R4: the inbox, its indexes and the unread badge. The specs are grouped in one test file so that a
// worker loads the core once for all of them.
import './r1-inbox.spec.js';
import './r1-scale.spec.js';
import './r1-indexes.spec.js';
import './r4-badge.spec.js';
