import type { Column, Table } from './column.ts';

function columnSql(c: Column): string {
  const nullability = c.nullable ? '' : ' NOT NULL';
  const fallback = c.default === null ? '' : ` DEFAULT ${c.default}`;
  return `${c.name} ${c.type}${nullability}${fallback}`;
}

/**
 * `CREATE TABLE` of a catalog table (for tables created on demand; released migrations keep their own frozen text).
 * @example createTableSql(MIGRATIONS, { ifNotExists: true })
 */
export function createTableSql(t: Table, options: { ifNotExists?: boolean } = {}): string {
  const lines = t.columns.map(columnSql);
  if (t.primaryKey.length > 0) lines.push(`PRIMARY KEY (${t.primaryKey.join(', ')})`);
  return `CREATE TABLE ${options.ifNotExists ? 'IF NOT EXISTS ' : ''}${t.name} (\n  ${lines.join(',\n  ')}\n)`;
}
