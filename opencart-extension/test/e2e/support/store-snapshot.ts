import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { OpenCartInstance } from '@oc-xero/opencart-harness';

/**
 * What an extension may change in a store: OpenCart's configuration tables (settings, events,
 * extensions and their installs/paths, modifications, modules, layouts, startups, user groups'
 * permissions), the list of tables, and every file of the store. Orders, sessions and statistics
 * change as the store is used and are left out, as are OpenCart's own caches, sessions and logs.
 */
const CONFIG_TABLES = [
  'setting',
  'event',
  'extension',
  'extension_install',
  'extension_path',
  'modification',
  'module',
  'layout_module',
  'startup',
  'user_group',
];
const VOLATILE_DIRS = [
  'system/storage/cache',
  'system/storage/session',
  'system/storage/logs',
  'image/cache',
];

export interface StoreSnapshot {
  tables: string[];
  rows: Record<string, string[]>;
  files: Map<string, string>;
}

function walk(root: string, dir = ''): Array<[string, string]> {
  return readdirSync(path.join(root, dir)).flatMap((name): Array<[string, string]> => {
    const rel = dir ? `${dir}/${name}` : name;
    if (VOLATILE_DIRS.includes(rel)) return [];
    const full = path.join(root, rel);
    const st = statSync(full);
    if (st.isDirectory()) return [[`${rel}/`, 'dir'], ...walk(root, rel)];
    return [[rel, createHash('sha1').update(readFileSync(full)).digest('hex')]];
  });
}

export async function snapshotStore(oc: OpenCartInstance): Promise<StoreSnapshot> {
  const tables = (
    await oc.query<{ t: string }>(
      'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name',
      [oc.dbName],
    )
  ).map((r) => r.t);
  const rows: Record<string, string[]> = {};
  for (const t of CONFIG_TABLES) {
    if (!tables.includes(oc.prefix + t)) continue;
    const all = await oc.query<Record<string, unknown>>(`SELECT * FROM \`${oc.prefix}${t}\``);
    // A group's permissions are sets: OpenCart rewrites the JSON in its own order when a group is saved.
    const norm = (r: Record<string, unknown>) => {
      if (t !== 'user_group' || typeof r.permission !== 'string' || !r.permission) return r;
      const p = JSON.parse(r.permission) as Record<string, string[]>;
      return {
        ...r,
        permission: Object.fromEntries(
          Object.keys(p)
            .sort()
            .map((k) => [k, [...Object.values(p[k])].sort()]),
        ),
      };
    };
    rows[t] = all.map((r) => JSON.stringify(norm(r))).sort();
  }
  return { tables, rows, files: new Map(walk(oc.rootDir)) };
}

/** Every difference, as lines a reader can act on ("+ event {…}", "- file admin/…", "~ file …"). */
export function diffSnapshots(before: StoreSnapshot, after: StoreSnapshot): string[] {
  const out: string[] = [];
  const sets = (a: string[], b: string[], what: string) => {
    for (const x of b) if (!a.includes(x)) out.push(`+ ${what} ${x}`);
    for (const x of a) if (!b.includes(x)) out.push(`- ${what} ${x}`);
  };
  sets(before.tables, after.tables, 'table');
  for (const t of new Set([...Object.keys(before.rows), ...Object.keys(after.rows)]))
    sets(before.rows[t] ?? [], after.rows[t] ?? [], t);
  for (const [f, h] of after.files) {
    if (!before.files.has(f)) out.push(`+ file ${f}`);
    else if (before.files.get(f) !== h) out.push(`~ file ${f}`);
  }
  for (const f of before.files.keys()) if (!after.files.has(f)) out.push(`- file ${f}`);
  return out;
}
