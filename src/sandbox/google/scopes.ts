/** OAuth scopes the fake knows, and which ones each API method accepts (from Google's reference). */

const G = 'https://www.googleapis.com/auth/';

/** Short forms Google expands in the token response. */
const ALIASES: Record<string, string> = {
  email: `${G}userinfo.email`,
  profile: `${G}userinfo.profile`,
};

const CALENDAR = [
  'calendar',
  'calendar.readonly',
  'calendar.events',
  'calendar.events.readonly',
  'calendar.freebusy',
  'calendar.events.freebusy',
  'calendar.calendarlist',
  'calendar.calendarlist.readonly',
  'calendar.calendars',
  'calendar.calendars.readonly',
  'calendar.events.owned',
  'calendar.events.owned.readonly',
  'calendar.app.created',
  'calendar.settings.readonly',
];
const SHEETS = ['spreadsheets', 'spreadsheets.readonly'];
const DRIVE = [
  'drive',
  'drive.readonly',
  'drive.file',
  'drive.metadata',
  'drive.metadata.readonly',
  'drive.appdata',
];

export const KNOWN_SCOPES = new Set<string>([
  'openid',
  `${G}userinfo.email`,
  `${G}userinfo.profile`,
  ...[...CALENDAR, ...SHEETS, ...DRIVE].map((s) => G + s),
]);

export function normalizeScope(scope: string): string {
  return ALIASES[scope] ?? scope;
}

/** Splits a space- (or comma-, for hand-written test URLs) separated scope list. */
export function splitScopes(value: unknown): string[] {
  const raw = Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : '';
  return [
    ...new Set(
      raw
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(normalizeScope),
    ),
  ];
}

const full = (...names: string[]) => names.map((n) => G + n);

const CAL_READ = full('calendar', 'calendar.readonly');
const EVENTS_READ = [
  ...CAL_READ,
  ...full(
    'calendar.events',
    'calendar.events.readonly',
    'calendar.events.owned',
    'calendar.events.owned.readonly',
    'calendar.app.created',
  ),
];
const EVENTS_WRITE = full('calendar', 'calendar.events', 'calendar.events.owned', 'calendar.app.created');
const SHEETS_READ = full('spreadsheets', 'spreadsheets.readonly', 'drive', 'drive.readonly', 'drive.file');
const SHEETS_WRITE = full('spreadsheets', 'drive', 'drive.file');

/** Accepted scopes per method id; a token needs any one of them. */
export const METHOD_SCOPES: Record<string, string[]> = {
  'calendar.calendarList.list': [
    ...CAL_READ,
    ...full('calendar.calendarlist', 'calendar.calendarlist.readonly'),
  ],
  'calendar.calendarList.get': [
    ...CAL_READ,
    ...full('calendar.calendarlist', 'calendar.calendarlist.readonly'),
  ],
  'calendar.calendars.get': [
    ...CAL_READ,
    ...full('calendar.calendars', 'calendar.calendars.readonly', 'calendar.app.created'),
  ],
  'calendar.events.list': EVENTS_READ,
  'calendar.events.get': EVENTS_READ,
  'calendar.events.insert': EVENTS_WRITE,
  'calendar.events.patch': EVENTS_WRITE,
  'calendar.events.update': EVENTS_WRITE,
  'calendar.events.delete': EVENTS_WRITE,
  'calendar.freebusy.query': [...EVENTS_READ, ...full('calendar.freebusy', 'calendar.events.freebusy')],
  'sheets.spreadsheets.get': SHEETS_READ,
  'sheets.spreadsheets.values.get': SHEETS_READ,
  'sheets.spreadsheets.values.batchGet': SHEETS_READ,
  'sheets.spreadsheets.values.append': SHEETS_WRITE,
  'sheets.spreadsheets.values.update': SHEETS_WRITE,
  'sheets.spreadsheets.values.clear': SHEETS_WRITE,
  'drive.files.list': full(
    'drive',
    'drive.readonly',
    'drive.file',
    'drive.metadata',
    'drive.metadata.readonly',
    'drive.appdata',
  ),
};
