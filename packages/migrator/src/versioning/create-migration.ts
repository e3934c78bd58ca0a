import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { USER_VERSIONS } from '@duckside/core/schema';
import { UsageError } from '../errors/errors.ts';

/** Form of a scaffolded migration. */
export type MigrationFormat = 'sql' | 'ts';

/** What `create` wrote. */
export interface CreatedMigration {
  version: number;
  name: string;
  files: string[];
}

/**
 * Scaffolds a user migration in `dir` with the next free version (1000 for the first): `V_NAME.up.sql` and
 * `V_NAME.down.sql`, or one `V_NAME.ts` module. The scripts hold only comments until you fill them in; the
 * migrator refuses to load them before.
 * @example await createMigration('./migrations', 'add orders index') // { version: 1000, name: 'add_orders_index', ... }
 */
export async function createMigration(
  dir: string,
  rawName: string,
  format: MigrationFormat = 'sql',
): Promise<CreatedMigration> {
  const name = rawName
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (!/^[a-z0-9_]{1,100}$/.test(name)) {
    throw new UsageError(
      `migration name ${JSON.stringify(rawName)} must use letters, digits, spaces, - or _`,
    );
  }
  const folder = resolve(dir);
  await mkdir(folder, { recursive: true });
  const used = (await readdir(folder)).map((f) => Number(/^(\d+)_/.exec(f)?.[1] ?? 0));
  const version = Math.max(USER_VERSIONS.min - 1, ...used) + 1;
  const base = `${version}_${name}`;
  const files =
    format === 'ts'
      ? [[`${base}.ts`, moduleTemplate(name)]]
      : [
          [
            `${base}.up.sql`,
            `-- ${base}: applied by \`duckside-migrate up\` in one transaction.\n-- CREATE INDEX ...;\n`,
          ],
          [
            `${base}.down.sql`,
            `-- ${base}: undoes the up script (\`duckside-migrate down\`).\n-- DROP INDEX ...;\n`,
          ],
        ];
  const written: string[] = [];
  for (const [file, text] of files as [string, string][]) {
    const path = join(folder, file);
    await writeFile(path, text, { flag: 'wx' });
    written.push(path);
  }
  return { version, name, files: written };
}

function moduleTemplate(name: string): string {
  return `// ${name}: \`up\` and \`down\` are SQL text (or functions returning it), each run in one transaction.
export const up = \`
-- CREATE INDEX ...;
\`;

export const down = \`
-- DROP INDEX ...;
\`;
`;
}
