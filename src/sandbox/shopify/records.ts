/**
 * Builders of customers and locations with the 2026-10 field names (checked against the
 * introspection). Products live in product-records.ts, orders in order-records.ts. Links between
 * records are object references (order.customer, variant.product…), so any path a query takes
 * through them resolves.
 */
import { money, type ShopifyObject, type ShopState } from './world.ts';

export interface AddressSeed {
  address1: string;
  city: string;
  province: string;
  provinceCode: string;
  zip: string;
  country?: string;
  countryCode?: string;
}

export interface CustomerSeed {
  firstName: string;
  lastName: string;
  email: string;
  /** E.164. */
  phone?: string;
  address?: AddressSeed;
  createdAt?: string;
  tags?: string[];
  note?: string;
}

export interface LocationSeed {
  name: string;
  address: AddressSeed;
  isActive?: boolean;
}

function mailingAddress(
  shop: ShopState,
  a: AddressSeed,
  first: string,
  last: string,
  phone?: string,
): ShopifyObject {
  const country = a.country ?? 'United States';
  return {
    __typename: 'MailingAddress',
    id: `${shop.gid('MailingAddress')}?model_name=CustomerAddress`,
    firstName: first,
    lastName: last,
    name: `${first} ${last}`,
    address1: a.address1,
    address2: null,
    city: a.city,
    province: a.province,
    provinceCode: a.provinceCode,
    zip: a.zip,
    country,
    countryCodeV2: a.countryCode ?? 'US',
    phone: phone ?? null,
    formatted: [a.address1, `${a.city} ${a.provinceCode} ${a.zip}`, country],
  };
}

export function addCustomer(shop: ShopState, s: CustomerSeed): ShopifyObject {
  const createdAt = s.createdAt ?? '2025-06-01T12:00:00Z';
  const address = s.address ? mailingAddress(shop, s.address, s.firstName, s.lastName, s.phone) : null;
  return shop.add(shop.customers, {
    __typename: 'Customer',
    id: shop.gid('Customer'),
    firstName: s.firstName,
    lastName: s.lastName,
    displayName: `${s.firstName} ${s.lastName}`,
    email: s.email,
    phone: s.phone ?? null,
    defaultEmailAddress: {
      __typename: 'CustomerEmailAddress',
      emailAddress: s.email,
      marketingState: 'NOT_SUBSCRIBED',
    },
    defaultPhoneNumber: s.phone ? { __typename: 'CustomerPhoneNumber', phoneNumber: s.phone } : null,
    defaultAddress: address,
    addresses: address ? [address] : [],
    addressesV2: address ? [address] : [],
    numberOfOrders: '0',
    amountSpent: money(0, shop.currencyCode),
    orders: [],
    lastOrder: null,
    state: 'ENABLED',
    verifiedEmail: true,
    tags: s.tags ?? [],
    note: s.note ?? null,
    createdAt,
    updatedAt: createdAt,
  });
}

export function addLocation(shop: ShopState, s: LocationSeed): ShopifyObject {
  const a = s.address;
  const levels: ShopifyObject[] = [];
  return shop.add(shop.locations, {
    __typename: 'Location',
    id: shop.gid('Location'),
    name: s.name,
    isActive: s.isActive ?? true,
    fulfillsOnlineOrders: true,
    shipsInventory: true,
    hasActiveInventory: true,
    address: {
      __typename: 'LocationAddress',
      address1: a.address1,
      city: a.city,
      province: a.province,
      provinceCode: a.provinceCode,
      zip: a.zip,
      country: a.country ?? 'United States',
      countryCode: a.countryCode ?? 'US',
      formatted: [a.address1, `${a.city} ${a.provinceCode} ${a.zip}`, a.country ?? 'United States'],
    },
    inventoryLevels: levels,
    inventoryLevel: (args: { inventoryItemId?: string }) =>
      levels.find((l) => (l.item as ShopifyObject).id === args.inventoryItemId) ?? null,
    createdAt: '2024-03-01T15:00:00Z',
    updatedAt: '2024-03-01T15:00:00Z',
  });
}
