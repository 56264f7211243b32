// R5–R7: contact history, usage and alerts, grouped in one test file so a worker loads the core once.
import './r5-contact-history.spec.js';
import './r6-usage.spec.js';
import './r7-alerts.spec.js';
