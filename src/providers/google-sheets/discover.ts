/**
 * Sheets discovery: the spreadsheets the account can see (Drive), each tab an object whose fields
 * are its header row, typed from a sample of the rows below. One spreadsheets.get and one batchGet
 * per spreadsheet, a few spreadsheets at a time.
 */
import { AppError } from '../../errors.ts';
import type {
  NormalizedSchema,
  OperationArg,
  ProviderContext,
  SchemaField,
  SchemaObject,
  SchemaOperation,
} from '../types.ts';
import { columnsOf, quoteTab } from './headers.ts';
import { inferColumn } from './infer.ts';
import {
  batchGetValues,
  type Cell,
  type DriveSpreadsheet,
  getSpreadsheet,
  listSpreadsheets,
} from './sheets-api.ts';

const MAX_SPREADSHEETS = 100;
const SAMPLE_ROWS = 50;
const CONCURRENCY = 4;

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function slug(text: string, fallback: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 40) || fallback
  );
}

function fieldsOf(header: Cell[], rows: Cell[][], context: string): SchemaField[] {
  const width = Math.max(header.length, ...rows.map((r) => r.length));
  return columnsOf(header, width).map((c) => {
    const { type, pii } = inferColumn(
      c.header,
      rows.map((r) => r[c.index]),
      context,
    );
    const field: SchemaField = {
      name: c.name,
      type,
      nativeType: 'cell',
      nullable: true,
      primaryKey: false,
      unique: false,
      leadingIndex: false,
      pii,
    };
    if (c.name !== c.header)
      field.comment = c.header ? `header "${c.header}" (repeated)` : `column ${c.letter} has no header`;
    return field;
  });
}

function operations(object: string, fields: SchemaField[]): SchemaOperation[] {
  const optional: OperationArg[] = fields.map((f) => ({ name: f.name, type: f.type, required: false }));
  return [
    { name: `${object}.lookup`, object, kind: 'read', verb: 'search', args: optional, returns: object },
    { name: `${object}.append`, object, kind: 'write', verb: 'insert', args: optional, returns: object },
    { name: `${object}.update`, object, kind: 'write', verb: 'update', args: optional, returns: object },
  ];
}

interface Loaded {
  file: DriveSpreadsheet;
  info: Awaited<ReturnType<typeof getSpreadsheet>>;
  samples: Cell[][][];
}

async function load(ctx: ProviderContext, file: DriveSpreadsheet): Promise<Loaded | null> {
  try {
    const info = await getSpreadsheet(ctx, file.id);
    const tabs = [...info.tabs].sort((a, b) => a.index - b.index);
    info.tabs = tabs;
    const samples = await batchGetValues(
      ctx,
      file.id,
      tabs.map((t) => `${quoteTab(t.title)}!1:${SAMPLE_ROWS + 1}`),
    );
    return { file, info, samples };
  } catch (e) {
    // Listed by Drive but unreadable through Sheets (unshared since, or not really a sheet): skip it.
    if (e instanceof AppError && e.code === 'sheet_not_accessible') return null;
    throw e;
  }
}

export async function discoverSheets(
  _credentials: Record<string, unknown>,
  ctx: ProviderContext,
): Promise<NormalizedSchema> {
  const { files, truncated } = await listSpreadsheets(ctx, MAX_SPREADSHEETS);
  const loaded = await mapLimit(files, CONCURRENCY, (f) => load(ctx, f));
  const objects: SchemaObject[] = [];
  const ops: SchemaOperation[] = [];
  const taken = new Set<string>();
  for (const item of loaded) {
    if (!item) continue;
    const { file, info, samples } = item;
    info.tabs.forEach((tab, i) => {
      const [header = [], ...rows] = samples[i];
      if (header.length === 0) return; // an empty tab has no columns to offer
      let name = `${slug(info.title || file.name, 'spreadsheet')}.${slug(tab.title, `tab_${tab.sheetId}`)}`;
      for (let n = 2; taken.has(name); n++) name = `${name.replace(/_\d+$/, '')}_${n}`;
      taken.add(name);
      const fields = fieldsOf(header, rows, `${info.title || file.name} ${tab.title}`);
      objects.push({
        name,
        label: `${info.title || file.name} › ${tab.title}`,
        kind: 'sheet',
        source: { spreadsheetId: info.spreadsheetId, tab: tab.title, sheetId: String(tab.sheetId) },
        fields,
        capabilities: ['read', 'search', 'create', 'update'],
        primaryKey: [],
        meta: {
          spreadsheetTitle: info.title,
          rowCount: tab.rowCount,
          sampledRows: rows.length,
          ...(truncated ? { listTruncated: true } : {}),
        },
      });
      ops.push(...operations(name, fields));
    });
  }
  return { objects, relationships: [], operations: ops };
}
