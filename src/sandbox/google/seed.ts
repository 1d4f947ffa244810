/** Seed helpers: build the fake's world directly, without going through the HTTP API. */
import { type EventInput, insertEvent } from './calendar-events.ts';
import * as ids from './ids.ts';
import { normalizeScope } from './scopes.ts';
import {
  type Account,
  type Calendar,
  type CalendarEvent,
  type CalendarRole,
  type CellValue,
  type DriveFile,
  type FileRole,
  type GoogleWorld,
  normalizeEmail,
  type Spreadsheet,
} from './state.ts';
import type { IssuedTokens } from './token-store.ts';

export interface AccountSeed {
  name?: string;
  /** Time zone of the primary calendar (default UTC). */
  timeZone?: string;
}

export interface CalendarSeed {
  owner: string;
  id?: string;
  summary?: string;
  description?: string;
  timeZone?: string;
  /** Other accounts and their access, e.g. `{ 'bob@example.com': 'reader' }`. */
  sharedWith?: Record<string, CalendarRole>;
}

export interface SheetSeed {
  title: string;
  /** Rows of cells; strings stay strings, numbers and booleans keep their type. */
  values?: CellValue[][];
  rowCount?: number;
  columnCount?: number;
}

export interface SpreadsheetSeed {
  owner: string;
  title: string;
  id?: string;
  sheets?: SheetSeed[];
  sharedWith?: Record<string, FileRole>;
  timeZone?: string;
  modifiedTime?: string;
  trashed?: boolean;
}

export interface DriveFileSeed {
  owner: string;
  name: string;
  mimeType: string;
  id?: string;
  sharedWith?: Record<string, FileRole>;
  modifiedTime?: string;
  trashed?: boolean;
}

export interface TokenSeed {
  scopes: string[];
  /** Issue a refresh token too (default true). */
  offline?: boolean;
  clientId?: string;
}

export class Seeder {
  constructor(
    private readonly world: GoogleWorld,
    private readonly clientId: string,
  ) {}

  /** Creates the account (and its primary calendar, id = email) unless it exists. */
  account(email: string, opts: AccountSeed = {}): Account {
    const key = normalizeEmail(email);
    const existing = this.world.accounts.get(key);
    if (existing) return existing;
    const account: Account = {
      email: key,
      sub: ids.subject(),
      name: opts.name ?? key.split('@')[0],
      primaryCalendarId: key,
    };
    this.world.accounts.set(key, account);
    this.calendar({ owner: key, id: key, summary: key, timeZone: opts.timeZone ?? 'UTC' });
    return account;
  }

  calendar(seed: CalendarSeed): Calendar {
    const owner = this.account(seed.owner).email;
    const id = seed.id ?? ids.calendarId();
    const acl = new Map<string, CalendarRole>([[owner, 'owner']]);
    for (const [email, role] of Object.entries(seed.sharedWith ?? {}))
      acl.set(this.account(email).email, role);
    const cal: Calendar = {
      id,
      summary: seed.summary ?? id,
      description: seed.description,
      timeZone: seed.timeZone ?? 'UTC',
      owner,
      acl,
      events: this.world.calendars.get(id)?.events ?? new Map(),
    };
    this.world.calendars.set(id, cal);
    return cal;
  }

  /** Inserts an event through the same validation as events.insert (`primary` not resolved here). */
  event(calendarId: string, input: EventInput): CalendarEvent {
    const cal = this.world.calendars.get(calendarId);
    if (!cal) throw new Error(`no calendar ${calendarId}`);
    return insertEvent(cal, input, cal.owner, this.world.clock.now());
  }

  spreadsheet(seed: SpreadsheetSeed): Spreadsheet {
    const owner = this.account(seed.owner).email;
    const now = this.world.clock.now();
    const sheets = (seed.sheets?.length ? seed.sheets : [{ title: 'Sheet1' }]).map((s, index) => ({
      sheetId: index === 0 ? 0 : ids.sheetId(),
      title: s.title,
      index,
      rowCount: s.rowCount ?? Math.max(1000, s.values?.length ?? 0),
      columnCount: s.columnCount ?? Math.max(26, ...(s.values ?? []).map((r) => r.length)),
      cells: structuredClone(s.values ?? []),
    }));
    const ss: Spreadsheet = {
      spreadsheetId: seed.id ?? ids.spreadsheetId(),
      title: seed.title,
      owner,
      acl: this.acl(owner, seed.sharedWith),
      sheets,
      timeZone: seed.timeZone ?? 'Etc/GMT',
      locale: 'en_US',
      createdMs: now,
      modifiedMs: seed.modifiedTime ? Date.parse(seed.modifiedTime) : now,
      trashed: seed.trashed ?? false,
    };
    this.world.spreadsheets.set(ss.spreadsheetId, ss);
    return ss;
  }

  driveFile(seed: DriveFileSeed): DriveFile {
    const owner = this.account(seed.owner).email;
    const now = this.world.clock.now();
    const file: DriveFile = {
      id: seed.id ?? ids.driveFileId(),
      name: seed.name,
      mimeType: seed.mimeType,
      owner,
      acl: this.acl(owner, seed.sharedWith),
      createdMs: now,
      modifiedMs: seed.modifiedTime ? Date.parse(seed.modifiedTime) : now,
      trashed: seed.trashed ?? false,
    };
    this.world.driveFiles.set(file.id, file);
    return file;
  }

  /** Issues tokens for `email` as if it had consented, skipping the authorization dance. */
  token(email: string, seed: TokenSeed): IssuedTokens {
    const account = this.account(email);
    const scopes = [...new Set(seed.scopes.map(normalizeScope))];
    return this.world.tokens.issue(
      seed.clientId ?? this.clientId,
      account.email,
      scopes,
      seed.offline ?? true,
    );
  }

  private acl(owner: string, shared: Record<string, FileRole> = {}): Map<string, FileRole> {
    const acl = new Map<string, FileRole>([[owner, 'owner']]);
    for (const [email, role] of Object.entries(shared)) acl.set(this.account(email).email, role);
    return acl;
  }
}
