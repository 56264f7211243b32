import type { Migration } from './migration.js';
import { v001ExtensionsAndCheckpoints } from './v001-extensions-and-checkpoints.js';
import { v002Usage } from './v002-usage.js';
import { v003Inbox } from './v003-inbox.js';
import { v004InboxViewsFilters } from './v004-inbox-views-filters.js';
import { v005StoredText } from './v005-stored-text.js';
import { v006InboxSearch } from './v006-inbox-search.js';
import { v007Alerts } from './v007-alerts.js';
import { v008ReadMarksByConversation } from './v008-read-marks-by-conversation.js';
import { v009InboxBadgeTotals } from './v009-inbox-badge-totals.js';
import { v010InboxWalks } from './v010-inbox-walks.js';
import { v011InboxClientFilters } from './v011-inbox-client-filters.js';
import { v012InboxConversationWords } from './v012-inbox-conversation-words.js';
import { v013ReadMarksWithoutConversationIndex } from './v013-read-marks-without-conversation-index.js';
import { v014InboxMessageWordCounts } from './v014-inbox-message-word-counts.js';
import { v015InboxCardWordCounts } from './v015-inbox-card-word-counts.js';
import { v016InboxSearchWords } from './v016-inbox-search-words.js';

/** Every migration this code knows, in order. Append only: a released entry is never edited nor removed. */
export const MIGRATIONS: ReadonlyArray<Migration> = [v001ExtensionsAndCheckpoints, v002Usage, v003Inbox, v004InboxViewsFilters, v005StoredText, v006InboxSearch, v007Alerts, v008ReadMarksByConversation, v009InboxBadgeTotals, v010InboxWalks, v011InboxClientFilters, v012InboxConversationWords, v013ReadMarksWithoutConversationIndex, v014InboxMessageWordCounts, v015InboxCardWordCounts, v016InboxSearchWords];
