/**
 * Sheets v4 routes. Google's paths put verbs after a colon (`values/{range}:append`,
 * `values:batchGet`) and ranges carry quotes, spaces and '!' — so each method is one wildcard
 * route whose tail is parsed by hand instead of trusting the router with colons.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { assertInGrid, parseRange } from './a1.ts';
import { authorize } from './bearer.ts';
import { ApiError } from './errors.ts';
import { appendRange, asRows, clearRange, type Dimension, readRange, updateRange } from './sheets-values.ts';
import { FILE_RANK, type GoogleWorld, type Spreadsheet } from './state.ts';

type Query = Record<string, unknown>;

const NOT_FOUND = () => new ApiError(404, 'Requested entity was not found.');
const DENIED = () => new ApiError(403, 'The caller does not have permission');

function enumParam<T extends string>(
  q: Query,
  key: string,
  allowed: readonly T[],
  fallback: T | undefined,
  proto: string,
) {
  const v = q[key];
  if (v === undefined) return fallback;
  if (!allowed.includes(v as T)) {
    const field = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    throw new ApiError(
      400,
      `Invalid value at '${field}' (type.googleapis.com/google.apps.sheets.v4.${proto}), "${v}"`,
    );
  }
  return v as T;
}

const RENDER = ['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'] as const;
const DIMENSION = ['ROWS', 'COLUMNS'] as const;
const INPUT = ['RAW', 'USER_ENTERED'] as const;

/** Unknown spreadsheets are 404; ones that exist but are not shared with the caller are 403, as at Google. */
function spreadsheetFor(world: GoogleWorld, email: string, id: string, write: boolean): Spreadsheet {
  const ss = world.spreadsheets.get(id);
  if (!ss) throw NOT_FOUND();
  const role = ss.acl.get(email);
  if (!role) throw DENIED();
  if (write && FILE_RANK[role] < FILE_RANK.writer) throw DENIED();
  return ss;
}

function spreadsheetResource(ss: Spreadsheet) {
  return {
    spreadsheetId: ss.spreadsheetId,
    properties: { title: ss.title, locale: ss.locale, autoRecalc: 'ON_CHANGE', timeZone: ss.timeZone },
    sheets: ss.sheets.map((s) => ({
      properties: {
        sheetId: s.sheetId,
        title: s.title,
        index: s.index,
        sheetType: 'GRID',
        gridProperties: { rowCount: s.rowCount, columnCount: s.columnCount },
      },
    })),
    spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${ss.spreadsheetId}/edit`,
  };
}

interface Target {
  id: string;
  /** 'spreadsheet' | 'values' | 'batchGet' */
  kind: string;
  range?: string;
  verb?: string;
}

function parseTail(app: FastifyInstance, url: string): Target {
  const rest = url.split('?')[0].slice(`${app.prefix}/v4/spreadsheets/`.length);
  const id = /^[^/:]+/.exec(rest)?.[0];
  if (!id) throw NOT_FOUND();
  const after = rest.slice(id.length);
  if (after === '') return { id, kind: 'spreadsheet' };
  if (after === '/values:batchGet') return { id, kind: 'batchGet' };
  if (!after.startsWith('/values/')) throw NOT_FOUND();
  let range: string;
  try {
    range = decodeURIComponent(after.slice('/values/'.length));
  } catch {
    throw new ApiError(400, 'Unable to parse range');
  }
  const verb = /:(append|clear)$/.exec(range)?.[1];
  if (verb) range = range.slice(0, -(verb.length + 1));
  return { id, kind: 'values', range, verb };
}

export function registerSheets(app: FastifyInstance, world: GoogleWorld): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const t = parseTail(app, req.url);
    const q = req.query as Query;
    const method = methodId(req.method, t);
    const auth = authorize(world, req, reply, 'sheets', `sheets.spreadsheets.${method}`);
    if (!auth) return reply;
    const write = !['get', 'values.get', 'values.batchGet'].includes(method);
    const ss = spreadsheetFor(world, auth.grant.email, t.id, write);

    if (method === 'get') return spreadsheetResource(ss);
    const render = enumParam(q, 'valueRenderOption', RENDER, 'FORMATTED_VALUE', 'ValueRenderOption')!;
    const dimension = enumParam(q, 'majorDimension', DIMENSION, 'ROWS', 'Dimension')!;
    const read = (text: string) => {
      const range = parseRange(ss, text);
      assertInGrid(range, text);
      return readRange(range, render, dimension);
    };
    if (method === 'values.get') return read(t.range!);
    if (method === 'values.batchGet') {
      const ranges =
        q.ranges === undefined ? [] : Array.isArray(q.ranges) ? q.ranges.map(String) : [String(q.ranges)];
      return { spreadsheetId: ss.spreadsheetId, valueRanges: ranges.map(read) };
    }

    const range = parseRange(ss, t.range!);
    if (method === 'values.clear') {
      ss.modifiedMs = world.clock.now();
      return { spreadsheetId: ss.spreadsheetId, clearedRange: clearRange(range) };
    }
    const input = enumParam(q, 'valueInputOption', INPUT, undefined, 'ValueInputOption');
    if (!input) throw new ApiError(400, "'valueInputOption' is required but not specified");
    const body = (req.body ?? {}) as { values?: unknown; majorDimension?: Dimension };
    const rows = asRows(body.values, body.majorDimension ?? 'ROWS');
    ss.modifiedMs = world.clock.now();
    if (method === 'values.update') {
      return { spreadsheetId: ss.spreadsheetId, ...updateRange(range, rows, input) };
    }
    const insert = enumParam(
      q,
      'insertDataOption',
      ['OVERWRITE', 'INSERT_ROWS'] as const,
      'OVERWRITE',
      'InsertDataOption',
    );
    const { tableRange, updates } = appendRange(range, rows, input, insert === 'INSERT_ROWS');
    const out: Record<string, unknown> = { spreadsheetId: ss.spreadsheetId };
    if (tableRange) out.tableRange = tableRange;
    out.updates = { spreadsheetId: ss.spreadsheetId, ...updates };
    if (updates && q.includeValuesInResponse === 'true') {
      const written = parseRange(ss, updates.updatedRange);
      const responseRender = enumParam(
        q,
        'responseValueRenderOption',
        RENDER,
        'FORMATTED_VALUE',
        'ValueRenderOption',
      )!;
      (out.updates as Record<string, unknown>).updatedData = readRange(written, responseRender, 'ROWS');
    }
    return out;
  };

  app.get('/v4/spreadsheets/*', handler);
  app.post('/v4/spreadsheets/*', handler);
  app.put('/v4/spreadsheets/*', handler);
}

function methodId(httpMethod: string, t: Target): string {
  const key = `${httpMethod} ${t.kind}${t.verb ? `:${t.verb}` : ''}`;
  const id = {
    'GET spreadsheet': 'get',
    'GET values': 'values.get',
    'GET batchGet': 'values.batchGet',
    'PUT values': 'values.update',
    'POST values:append': 'values.append',
    'POST values:clear': 'values.clear',
  }[key];
  if (!id) throw NOT_FOUND();
  return id;
}
