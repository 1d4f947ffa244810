/** Drive v3 files.list over the spreadsheets and other files the caller can see. */
import type { FastifyInstance } from 'fastify';
import { authorize } from './bearer.ts';
import { paginate } from './calendar-query.ts';
import { ApiError } from './errors.ts';
import { type FileRole, type GoogleWorld, SPREADSHEET_MIME } from './state.ts';

interface FileView {
  id: string;
  name: string;
  mimeType: string;
  owner: string;
  acl: Map<string, FileRole>;
  createdMs: number;
  modifiedMs: number;
  trashed: boolean;
}

type Predicate = (f: FileView, me: string) => boolean;

const invalidQuery = () =>
  new ApiError(400, 'Invalid Value', 'invalid', { location: 'q', locationType: 'parameter' });

/** The subset of Drive's query language clients use to find spreadsheets; anything else is 400. */
function parseQuery(q: string): Predicate[] {
  const clauses = q
    .split(/\s+and\s+/i)
    .map((c) => c.trim())
    .filter(Boolean);
  return clauses.map((clause): Predicate => {
    let m = /^(mimeType|name)\s*(=|!=)\s*'((?:[^'\\]|\\.)*)'$/.exec(clause);
    if (m) {
      const [, field, op, raw] = m;
      const value = raw.replace(/\\(.)/g, '$1');
      return (f) => (f[field as 'name' | 'mimeType'] === value) === (op === '=');
    }
    m = /^name\s+contains\s+'((?:[^'\\]|\\.)*)'$/i.exec(clause);
    if (m) {
      const value = m[1].replace(/\\(.)/g, '$1').toLowerCase();
      return (f) => f.name.toLowerCase().includes(value);
    }
    m = /^trashed\s*(=|!=)\s*(true|false)$/i.exec(clause);
    if (m) {
      const want = (m[2].toLowerCase() === 'true') === (m[1] === '=');
      return (f) => f.trashed === want;
    }
    m = /^'([^']+)'\s+in\s+(owners|writers|readers)$/i.exec(clause);
    if (m) {
      const who = m[1];
      const rank = { owners: 2, writers: 1, readers: 0 }[m[2].toLowerCase() as 'owners'];
      return (f, me) => {
        const role = f.acl.get(who === 'me' ? me : who.toLowerCase());
        return role !== undefined && { owner: 2, writer: 1, reader: 0 }[role] >= rank;
      };
    }
    throw invalidQuery();
  });
}

/** Picks `files(a,b)`/`nextPageToken` out of a fields mask; no mask means Drive's default four. */
function fileFields(fields: string | undefined): string[] {
  if (!fields || fields.includes('files(*)') || fields === '*') {
    return fields
      ? ['kind', 'id', 'name', 'mimeType', 'createdTime', 'modifiedTime', 'trashed', 'owners']
      : ['kind', 'mimeType', 'id', 'name'];
  }
  const m = /files\(([^)]*)\)/.exec(fields);
  if (m)
    return m[1]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return fields
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('files/'))
    .map((s) => s.slice(6));
}

function render(f: FileView, fields: string[]) {
  const all: Record<string, unknown> = {
    kind: 'drive#file',
    id: f.id,
    name: f.name,
    mimeType: f.mimeType,
    createdTime: new Date(f.createdMs).toISOString(),
    modifiedTime: new Date(f.modifiedMs).toISOString(),
    trashed: f.trashed,
    owners: [{ kind: 'drive#user', emailAddress: f.owner, me: false }],
  };
  return Object.fromEntries(fields.filter((k) => k in all).map((k) => [k, all[k]]));
}

export function registerDrive(app: FastifyInstance, world: GoogleWorld): void {
  app.get('/drive/v3/files', async (req, reply) => {
    const auth = authorize(world, req, reply, 'drive', 'drive.files.list');
    if (!auth) return reply;
    const email = auth.grant.email;
    const q = req.query as Record<string, unknown>;
    const predicates = typeof q.q === 'string' ? parseQuery(q.q) : [];
    const views: FileView[] = [
      ...[...world.spreadsheets.values()].map((s) => ({
        ...s,
        id: s.spreadsheetId,
        name: s.title,
        mimeType: SPREADSHEET_MIME,
      })),
      ...world.driveFiles.values(),
    ];
    const visible = views.filter((f) => f.acl.has(email) && predicates.every((p) => p(f, email)));
    // Like Drive, trashed files are listed too unless the query says `trashed = false`.
    const order = typeof q.orderBy === 'string' ? q.orderBy : 'modifiedTime desc';
    const [key, dir] = order.split(',')[0].trim().split(/\s+/);
    const sign = dir === 'desc' ? -1 : 1;
    if (key === 'name') visible.sort((a, b) => sign * a.name.localeCompare(b.name));
    else if (key === 'modifiedTime') visible.sort((a, b) => sign * (a.modifiedMs - b.modifiedMs));
    else if (key === 'createdTime') visible.sort((a, b) => sign * (a.createdMs - b.createdMs));
    const { page, nextPageToken } = paginate(visible, q, 100, 1000);
    const fields = typeof q.fields === 'string' ? q.fields : undefined;
    const pick = fileFields(fields);
    const out: Record<string, unknown> = {};
    if (!fields) Object.assign(out, { kind: 'drive#fileList', incompleteSearch: false });
    if (nextPageToken && (!fields || fields.includes('nextPageToken') || fields === '*'))
      out.nextPageToken = nextPageToken;
    out.files = page.map((f) => render(f, pick));
    return out;
  });
}
