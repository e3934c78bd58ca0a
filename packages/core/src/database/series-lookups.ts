import type { SeriesRow, SqlParam } from '../query/compiled-query.ts';

/** Most distinct series statements remembered (a query API sees few shapes; past this it starts over). */
const MAX_LOOKUPS = 256;

interface Lookup {
  generation: number;
  rows: readonly SeriesRow[];
}

/**
 * The answers of series-first queries' series steps (see `SeriesFirst`), kept while `metric_series` cannot have
 * gained a series. Whatever may add one (a commit that writes series rows, a migration, a raw connection, an
 * exclusive job) calls {@link changing} before and the function it returns after: in between, lookups read
 * afresh and keep nothing; afterwards, what was kept before is forgotten. Series ids are content hashes and a
 * removed series has no points left, so removals need no care.
 * @example const done = lookups.changing(); try { await commit(); } finally { done(); }
 */
export class SeriesLookups {
  private generation = 0;
  private inFlight = 0;
  private readonly lookups = new Map<string, Lookup>();

  /** Marks the start of a change; call the returned function once it has happened (or failed). */
  changing(): () => void {
    this.inFlight++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight--;
      this.generation++;
      this.lookups.clear();
    };
  }

  /** Forgets every remembered answer at once (a change that has already happened). */
  changed(): void {
    this.changing()();
  }

  /** The rows of a series statement: remembered ones while nothing changed since, else `fetch`ed. */
  async get(
    sql: string,
    params: readonly SqlParam[],
    fetch: () => Promise<SeriesRow[]>,
  ): Promise<readonly SeriesRow[]> {
    const key = `${sql}\u0000${JSON.stringify(params, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))}`;
    const known = this.inFlight === 0 ? this.lookups.get(key) : undefined;
    if (known && known.generation === this.generation) return known.rows;
    const generation = this.generation;
    const steady = this.inFlight === 0;
    const rows = await fetch();
    if (steady && this.inFlight === 0 && generation === this.generation) {
      if (this.lookups.size >= MAX_LOOKUPS) this.lookups.clear();
      this.lookups.set(key, { generation, rows });
    }
    return rows;
  }
}
