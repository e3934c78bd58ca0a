import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectImmutable } from '../../test/support/builder-checks.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { readTable } from '../../test/support/read-table.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import { type EventInput, SEVERITIES, type Severity, severityLevel } from '../models/system-event.ts';
import { selectEvents } from './event-query.ts';

const T0 = Date.UTC(2024, 0, 2, 12, 0);
const messages = [
  'Disconnected from venue',
  'reconnected',
  'limit 100% used',
  'order_id 5 rejected',
  'DISCONNECT storm',
];
const events: EventInput[] = Array.from({ length: 40 }, (_, i) => ({
  timestamp: T0 + Math.floor(i / 2) * 1000, // pairs share a time: ids break the tie
  severity: SEVERITIES[i % 5] as Severity,
  source: i % 3 === 0 ? 'gateway' : 'risk',
  message: `${messages[i % messages.length]} #${i}`,
  attributes: { i },
}));

let db: Database;
let ids: number[];
beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.insertEvents(events);
  ids = (await readTable(db, 'SELECT id FROM system_events ORDER BY id')).map((r) => Number(r.id));
});
afterAll(() => db.close());

/** The expected rows for seeded events (by index), newest first, ties broken by the larger id. */
/** What an event posted as JSON holds in the OTLP log record columns. */
const NO_LOG_FIELDS = {
  time_unix_nano: null,
  observed_time_unix_nano: null,
  severity_number: null,
  severity_text: null,
  body: null,
  resource: null,
  scope: null,
  trace_id: null,
  span_id: null,
  flags: null,
  event_name: null,
  dropped_attributes_count: null,
};

function expectedRows(indexes: number[]) {
  return indexes
    .map((i) => ({
      id: ids[i] as number,
      ts: new Date(events[i]?.timestamp as number),
      severity: events[i]?.severity,
      source: events[i]?.source,
      message: events[i]?.message,
      attributes: `{"i":${i}}`,
      ...NO_LOG_FIELDS,
    }))
    .sort((a, b) => b.ts.getTime() - a.ts.getTime() || b.id - a.id);
}
const indexesWhere = (keep: (e: EventInput) => boolean) => events.flatMap((e, i) => (keep(e) ? [i] : []));

describe('selectEvents', () => {
  it('compiles to frozen SQL and parameters and is immutable', () => {
    expectImmutable(selectEvents(), [
      (b) => b.minSeverity('error'),
      (b) => b.source('risk'),
      (b) => b.text('disconnect'),
      (b) => b.between(T0, T0 + 1000),
      (b) => b.limit(2),
    ]);
  });

  it('returns events newest first with increasing ids in insertion order', async () => {
    expect(ids).toHaveLength(events.length);
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as number))).toBe(true);
    expect((await db.execute(selectEvents())).rows).toEqual(expectedRows(events.map((_, i) => i)));
  });

  it('filters by minimum severity and source', async () => {
    const { rows } = await db.execute(selectEvents().minSeverity('error').source('gateway'));
    expect(rows).toEqual(
      expectedRows(indexesWhere((e) => severityLevel(e.severity) >= 3 && e.source === 'gateway')),
    );
  });

  it('matches message text case-insensitively and literally (% and _ are not wildcards)', async () => {
    const disconnect = await db.execute(selectEvents().text('disconnect'));
    expect(disconnect.rows).toEqual(
      expectedRows(indexesWhere((e) => e.message.toLowerCase().includes('disconnect'))),
    );
    const percent = await db.execute(selectEvents().text('100%'));
    expect(percent.rows).toEqual(expectedRows(indexesWhere((e) => e.message.includes('100%'))));
    expect((await db.execute(selectEvents().text('%'))).rows).toHaveLength(percent.rows.length);
    const underscore = await db.execute(selectEvents().text('disc_nnected'));
    expect(underscore.rows).toEqual([]);
  });

  it('filters by time range and limits', async () => {
    const { rows } = await db.execute(
      selectEvents()
        .between(T0 + 3000, T0 + 6000)
        .limit(5),
    );
    expect(rows).toEqual(
      expectedRows(
        indexesWhere((e) => (e.timestamp as number) >= T0 + 3000 && (e.timestamp as number) < T0 + 6000),
      ).slice(0, 5),
    );
  });

  it.each([
    ['an unknown severity', () => selectEvents().minSeverity('fatal' as Severity), 'severity'],
    ['an empty source', () => selectEvents().source(''), 'source'],
    ['a long text', () => selectEvents().text('x'.repeat(1025)), 'text'],
    ['a bad time', () => selectEvents().between(undefined, 'later'), 'to'],
  ])('rejects %s naming the field', async (_what, build, field) => {
    expect((await errorOf(ValidationError, build)).field).toBe(field);
  });
});
