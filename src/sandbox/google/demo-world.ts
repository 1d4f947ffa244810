/** A small, believable world for `npm run demo`: one account, a calendar with bookings, two sheets. */
import type { Seeder } from './seed.ts';

export interface DemoWorld {
  email: string;
  calendarId: string;
  spreadsheetIds: { leads: string; inventory: string };
}

const day = (offsetDays: number, hour: number, timeZone: string) => {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  const date = d.toISOString().slice(0, 10);
  return { dateTime: `${date}T${String(hour).padStart(2, '0')}:00:00`, timeZone };
};

/**
 * Fixed ids, so the sandbox guide (docs/sandbox.md) can name them: shaped like Google's (44
 * characters starting with 1), stable across restarts.
 */
export const DEMO_SPREADSHEET_IDS = {
  leads: '1FlowyteDemoCustomerLeads0000000000000000000',
  inventory: '1FlowyteDemoInventory00000000000000000000000',
} as const;

export function seedDemoWorld(fake: { seed: Seeder }, email = 'demo@example.com'): DemoWorld {
  const timeZone = 'America/New_York';
  fake.seed.account(email, { name: 'Demo Owner', timeZone });
  fake.seed.event(email, {
    summary: 'Haircut - Sam Lee',
    start: day(1, 10, timeZone),
    end: day(1, 11, timeZone),
  });
  fake.seed.event(email, {
    summary: 'Colour - Ana Ruiz',
    start: day(1, 14, timeZone),
    end: day(1, 15, timeZone),
  });
  fake.seed.event(email, { summary: 'Staff meeting', start: day(2, 9, timeZone), end: day(2, 10, timeZone) });
  const leads = fake.seed.spreadsheet({
    id: DEMO_SPREADSHEET_IDS.leads,
    owner: email,
    title: 'Customer leads',
    sheets: [
      {
        title: 'Leads',
        values: [
          ['Name', 'Email', 'Phone', 'Signed up', 'Score'],
          ['Sam Lee', 'sam@example.com', '+1 212 555 0101', '2026-01-12', 72],
          ['Ana Ruiz', 'ana@example.com', '+1 212 555 0102', '2026-02-03', 88],
        ],
      },
    ],
  });
  const inventory = fake.seed.spreadsheet({
    id: DEMO_SPREADSHEET_IDS.inventory,
    owner: email,
    title: 'Inventory',
    sheets: [
      {
        title: 'Stock levels',
        values: [
          ['SKU', 'Product', 'In stock', 'Reorder'],
          ['SH-01', 'Shampoo 250ml', 14, false],
          ['CD-02', 'Conditioner 250ml', 3, true],
        ],
      },
    ],
  });
  return {
    email,
    calendarId: email,
    spreadsheetIds: { leads: leads.spreadsheetId, inventory: inventory.spreadsheetId },
  };
}
