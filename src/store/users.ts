/** Operators (dashboard users) and the organizations they belong to. */
import type { Store } from './db.ts';
import type { MembershipsTable, UsersTable } from './schema.ts';

export function findUserByEmail(store: Store, email: string): Promise<UsersTable | undefined> {
  return store.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function findUser(store: Store, id: string): Promise<UsersTable | undefined> {
  return store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(store: Store, row: UsersTable): Promise<void> {
  await store.db.insertInto('users').values(row).execute();
}

export async function setPasswordHash(store: Store, userId: string, hash: string): Promise<void> {
  await store.db.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
}

/** Adds the membership, or changes the role of an existing one. */
export async function upsertMembership(store: Store, row: MembershipsTable): Promise<void> {
  await store.db
    .insertInto('memberships')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'org_id']).doUpdateSet({ role: row.role }))
    .execute();
}

export interface MembershipView {
  orgId: string;
  orgName: string;
  role: string;
}

export async function membershipsOf(store: Store, userId: string): Promise<MembershipView[]> {
  const rows = await store.db
    .selectFrom('memberships')
    .innerJoin('organizations', 'organizations.id', 'memberships.org_id')
    .select(['memberships.org_id', 'organizations.name', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('memberships.created_at')
    .orderBy('memberships.org_id')
    .execute();
  return rows.map((r) => ({ orgId: r.org_id, orgName: r.name, role: r.role }));
}

export async function listUsersWithOrgs(store: Store) {
  return store.db
    .selectFrom('users')
    .leftJoin('memberships', 'memberships.user_id', 'users.id')
    .leftJoin('organizations', 'organizations.id', 'memberships.org_id')
    .select([
      'users.id',
      'users.email',
      'users.created_at',
      'organizations.name as org_name',
      'memberships.role',
    ])
    .orderBy('users.email')
    .execute();
}

/** Deletes the user (memberships and sessions go with it); false when there was none. */
export async function deleteUser(store: Store, userId: string): Promise<boolean> {
  const res = await store.db.deleteFrom('users').where('id', '=', userId).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function deleteMembership(store: Store, userId: string, orgId: string): Promise<boolean> {
  const res = await store.db
    .deleteFrom('memberships')
    .where('user_id', '=', userId)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
