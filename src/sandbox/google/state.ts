/** The fake's in-memory world: accounts, calendars with events, spreadsheets, Drive files, tokens. */
import { FakeClock, type FakeSettings } from './clock.ts';
import { TokenStore } from './token-store.ts';

export { FakeClock, type FakeSettings } from './clock.ts';

export type CalendarRole = 'owner' | 'writer' | 'reader' | 'freeBusyReader';
export type FileRole = 'owner' | 'writer' | 'reader';

export interface Account {
  email: string;
  sub: string;
  name: string;
  /** Google names an account's primary calendar after the email. */
  primaryCalendarId: string;
}

export interface EventTime {
  dateTime?: string;
  date?: string;
  timeZone?: string;
}

export interface Attendee {
  email: string;
  displayName?: string;
  responseStatus?: string;
  optional?: boolean;
  comment?: string;
}

export interface CalendarEvent {
  id: string;
  calendarId: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  summary?: string;
  description?: string;
  location?: string;
  start: EventTime;
  end: EventTime;
  startMs: number;
  endMs: number;
  attendees?: Attendee[];
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
  transparency?: 'opaque' | 'transparent';
  visibility?: string;
  colorId?: string;
  reminders?: unknown;
  iCalUID: string;
  sequence: number;
  creator: string;
  createdMs: number;
  updatedMs: number;
}

export interface Calendar {
  id: string;
  summary: string;
  description?: string;
  timeZone: string;
  owner: string;
  acl: Map<string, CalendarRole>;
  /** Insertion order doubles as Google's "unspecified but stable" list order. */
  events: Map<string, CalendarEvent>;
}

/** An email Google would have sent for an event change made with sendUpdates=all/externalOnly. */
export interface SentUpdate {
  kind: 'invitation' | 'update' | 'cancellation';
  calendarId: string;
  eventId: string;
  to: string[];
  sentMs: number;
}

export type CellValue = string | number | boolean | null;

export interface Sheet {
  sheetId: number;
  title: string;
  index: number;
  rowCount: number;
  columnCount: number;
  /** Sparse rows; a missing or null cell is empty. */
  cells: CellValue[][];
}

export interface Spreadsheet {
  spreadsheetId: string;
  title: string;
  owner: string;
  acl: Map<string, FileRole>;
  sheets: Sheet[];
  timeZone: string;
  locale: string;
  createdMs: number;
  modifiedMs: number;
  trashed: boolean;
}

/** Drive files other than spreadsheets (those are listed from `spreadsheets`). */
export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  owner: string;
  acl: Map<string, FileRole>;
  createdMs: number;
  modifiedMs: number;
  trashed: boolean;
}

export const SPREADSHEET_MIME = 'application/vnd.google-apps.spreadsheet';

export class GoogleWorld {
  readonly clock = new FakeClock();
  readonly settings: FakeSettings;
  readonly accounts = new Map<string, Account>();
  readonly calendars = new Map<string, Calendar>();
  readonly spreadsheets = new Map<string, Spreadsheet>();
  readonly driveFiles = new Map<string, DriveFile>();
  /** What Google would have emailed attendees, newest last (the fake sends nothing). */
  readonly outbox: SentUpdate[] = [];
  readonly tokens: TokenStore;
  private readonly defaults: FakeSettings;

  constructor(settings: Partial<FakeSettings> = {}) {
    this.defaults = { accessTokenTtlSeconds: 3599, codeTtlSeconds: 600, ...settings };
    this.settings = { ...this.defaults };
    this.tokens = new TokenStore(this.clock, this.settings);
  }

  reset(): void {
    this.accounts.clear();
    this.calendars.clear();
    this.spreadsheets.clear();
    this.driveFiles.clear();
    this.outbox.length = 0;
    this.tokens.reset();
    this.clock.offsetMs = 0;
    Object.assign(this.settings, this.defaults);
  }

  /** Resolves `primary` and checks the caller can see the calendar at `minRole` or better. */
  calendarFor(email: string, id: string, minRole: CalendarRole = 'reader'): Calendar | undefined {
    const resolved = id === 'primary' ? this.accounts.get(email)?.primaryCalendarId : id;
    const cal = resolved ? this.calendars.get(resolved) : undefined;
    if (!cal) return undefined;
    const role = cal.acl.get(email);
    return role && CALENDAR_RANK[role] >= CALENDAR_RANK[minRole] ? cal : undefined;
  }

  calendarRole(cal: Calendar, email: string): CalendarRole | undefined {
    return cal.acl.get(email);
  }
}

export const CALENDAR_RANK: Record<CalendarRole, number> = {
  freeBusyReader: 0,
  reader: 1,
  writer: 2,
  owner: 3,
};
export const FILE_RANK: Record<FileRole, number> = { reader: 0, writer: 1, owner: 2 };

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
