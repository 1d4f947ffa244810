/** Fixed ingredients of the demo shop: people, places and a small outdoor-apparel catalog. */
import type { AddressSeed } from './records.ts';

export const FIRST_NAMES = [
  'Avery',
  'Jordan',
  'Priya',
  'Mateo',
  'Hannah',
  'Kenji',
  'Sofia',
  'Marcus',
  'Leila',
  'Owen',
  'Grace',
  'Diego',
  'Amara',
  'Lucas',
  'Nora',
  'Samuel',
  'Yara',
  'Elliot',
  'Chloe',
  'Tomás',
];
export const LAST_NAMES = [
  'Thompson',
  'Nguyen',
  'Patel',
  'García',
  'Okafor',
  'Sato',
  'Rossi',
  'Bennett',
  'Haddad',
  'Murphy',
  'Kim',
  'Fernández',
  'Mensah',
  'Schmidt',
  'Lindqvist',
  'Cohen',
  'Rahman',
  'Walsh',
  'Dubois',
  'Silva',
];
export const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'];

/** US cities with an area code each: phones are +1 <area> 555-01xx, the range reserved for fiction. */
export const CITIES: (AddressSeed & { area: string })[] = [
  { address1: '', city: 'Portland', province: 'Oregon', provinceCode: 'OR', zip: '97205', area: '503' },
  { address1: '', city: 'Denver', province: 'Colorado', provinceCode: 'CO', zip: '80202', area: '303' },
  { address1: '', city: 'Austin', province: 'Texas', provinceCode: 'TX', zip: '78701', area: '512' },
  { address1: '', city: 'Boston', province: 'Massachusetts', provinceCode: 'MA', zip: '02108', area: '617' },
  { address1: '', city: 'Seattle', province: 'Washington', provinceCode: 'WA', zip: '98101', area: '206' },
  { address1: '', city: 'Chicago', province: 'Illinois', provinceCode: 'IL', zip: '60601', area: '312' },
  { address1: '', city: 'Minneapolis', province: 'Minnesota', provinceCode: 'MN', zip: '55401', area: '612' },
  {
    address1: '',
    city: 'Asheville',
    province: 'North Carolina',
    provinceCode: 'NC',
    zip: '28801',
    area: '828',
  },
];
export const STREETS = [
  'Maple Ave',
  'Oak Street',
  'Cedar Lane',
  'Pine Road',
  'Elm Court',
  'Birch Way',
  'Willow Drive',
  'Aspen Blvd',
];

export const LOCATIONS = [
  {
    name: 'Portland Warehouse',
    address: {
      address1: '2100 NW Front Ave',
      city: 'Portland',
      province: 'Oregon',
      provinceCode: 'OR',
      zip: '97209',
    },
  },
  {
    name: 'Denver Flagship Store',
    address: {
      address1: '1550 Wazee Street',
      city: 'Denver',
      province: 'Colorado',
      provinceCode: 'CO',
      zip: '80202',
    },
  },
];

type Options = { name: string; values: string[] } | null;
const SIZES: Options = { name: 'Size', values: ['S', 'M', 'L'] };
const SIZES2: Options = { name: 'Size', values: ['M', 'L'] };
const COLORS: Options = { name: 'Color', values: ['Black', 'Forest'] };
const COLORS3: Options = { name: 'Color', values: ['Slate', 'Rust', 'Sand'] };
const VOLUME: Options = { name: 'Volume', values: ['22L', '32L'] };

/** title, vendor, productType, SKU stem, base price, options, status. */
export const PRODUCTS: [string, string, string, string, number, Options, 'ACTIVE' | 'DRAFT' | 'ARCHIVED'][] =
  [
    ['Merino Crew Sweater', 'Northbound', 'Sweaters', 'NB-MCS', 89, SIZES, 'ACTIVE'],
    ['Alpine Down Jacket', 'Summit & Co', 'Jackets', 'SC-ADJ', 229, SIZES, 'ACTIVE'],
    ['Trail Runner Socks', 'Northbound', 'Socks', 'NB-TRS', 16, SIZES2, 'ACTIVE'],
    ['Canvas Field Cap', 'Harbor Goods', 'Hats', 'HG-CFC', 28, COLORS, 'ACTIVE'],
    ['Ridge 32 Backpack', 'Summit & Co', 'Bags', 'SC-R32', 139, VOLUME, 'ACTIVE'],
    ['Organic Cotton Tee', 'Harbor Goods', 'T-Shirts', 'HG-OCT', 32, SIZES, 'ACTIVE'],
    ['Waxed Canvas Tote', 'Harbor Goods', 'Bags', 'HG-WCT', 64, null, 'ACTIVE'],
    ['Storm Shell Rain Jacket', 'Summit & Co', 'Jackets', 'SC-SSR', 179, SIZES, 'ACTIVE'],
    ['Fleece Quarter Zip', 'Northbound', 'Sweaters', 'NB-FQZ', 74, SIZES2, 'ACTIVE'],
    ['Insulated Steel Bottle', 'Kettle Creek', 'Drinkware', 'KC-ISB', 34, COLORS3, 'ACTIVE'],
    ['Enamel Camp Mug', 'Kettle Creek', 'Drinkware', 'KC-ECM', 18, COLORS, 'ACTIVE'],
    ['Wool Beanie', 'Northbound', 'Hats', 'NB-WBN', 26, COLORS3, 'ACTIVE'],
    ['Hiking Trousers', 'Summit & Co', 'Pants', 'SC-HKT', 98, SIZES, 'ACTIVE'],
    ['Leather Camp Gloves', 'Harbor Goods', 'Gloves', 'HG-LCG', 42, SIZES2, 'ACTIVE'],
    ['Packable Puffer Vest', 'Summit & Co', 'Jackets', 'SC-PPV', 119, SIZES, 'ACTIVE'],
    ['Chambray Work Shirt', 'Harbor Goods', 'Shirts', 'HG-CWS', 68, SIZES, 'ACTIVE'],
    ['Trekking Pole Pair', 'Kettle Creek', 'Gear', 'KC-TPP', 84, null, 'ACTIVE'],
    ['Ultralight Hammock', 'Kettle Creek', 'Gear', 'KC-ULH', 72, COLORS, 'ACTIVE'],
    ['Thermal Base Layer', 'Northbound', 'Base Layers', 'NB-TBL', 58, SIZES, 'ACTIVE'],
    ['Sun Hoodie', 'Northbound', 'Shirts', 'NB-SHD', 54, SIZES2, 'ACTIVE'],
    ['Headlamp 400', 'Kettle Creek', 'Gear', 'KC-H40', 39, null, 'ACTIVE'],
    ['Cotton Bandana', 'Harbor Goods', 'Accessories', 'HG-CBD', 12, COLORS3, 'ACTIVE'],
    ['Camp Blanket', 'Harbor Goods', 'Home', 'HG-CBK', 96, null, 'ACTIVE'],
    ['Daypack 22', 'Summit & Co', 'Bags', 'SC-D22', 89, COLORS, 'ACTIVE'],
    ['Corduroy Overshirt', 'Harbor Goods', 'Shirts', 'HG-COS', 88, SIZES, 'ACTIVE'],
    ['Gaiter Neck Warmer', 'Northbound', 'Accessories', 'NB-GNW', 19, null, 'DRAFT'],
    ['Collapsible Kettle', 'Kettle Creek', 'Drinkware', 'KC-CKT', 46, null, 'DRAFT'],
    ['Winter Parka 2024', 'Summit & Co', 'Jackets', 'SC-WP4', 289, SIZES2, 'ARCHIVED'],
    ['Trail Map Print', 'Harbor Goods', 'Home', 'HG-TMP', 24, null, 'ARCHIVED'],
    ['Rope Dog Leash', 'Harbor Goods', 'Pets', 'HG-RDL', 29, COLORS, 'DRAFT'],
  ];

export const ORDER_NOTES = [
  'Please leave the parcel at the side door.',
  'Gift — please do not include the receipt.',
  'Customer called: wants delivery after 5 pm.',
  'Birthday present, gift wrap if possible.',
  'Deliver to the front desk of the building.',
];

export const CARRIERS = ['UPS', 'USPS', 'FedEx', 'DHL Express'] as const;
