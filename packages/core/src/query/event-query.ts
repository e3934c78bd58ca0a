import { columnList } from '../catalog/column.ts';
import { SYSTEM_EVENTS } from '../catalog/trading-tables.ts';
import { ValidationError } from '../errors/errors.ts';
import { SEVERITIES, type Severity, severityLevel } from '../models/system-event.ts';
import { checkText, WhereClause } from './builder-base.ts';
import { type CompiledQuery, compiled } from './compiled-query.ts';
import { RangedBuilder, type RangedState } from './ranged-builder.ts';
import { addTimeRange } from './time-range-clause.ts';

/** The columns of a stored event but its numeric `level` (the severity says it), in table order. */
const EVENT_COLUMNS = columnList(SYSTEM_EVENTS.columns.filter((c) => c.name !== 'level'));

/**
 * A system event row. The columns after `attributes` hold OTLP log record fields and are null for events
 * posted as JSON (see `LogBatch`); `body`, `resource` and `scope` are typed JSON text.
 */
export interface EventRow {
  id: number;
  ts: Date;
  severity: Severity;
  source: string;
  message: string;
  attributes: string;
  time_unix_nano: bigint | null;
  observed_time_unix_nano: bigint | null;
  severity_number: number | null;
  severity_text: string | null;
  body: string | null;
  resource: string | null;
  scope: string | null;
  trace_id: string | null;
  span_id: string | null;
  flags: number | null;
  event_name: string | null;
  dropped_attributes_count: number | null;
}

interface State extends RangedState {
  minSeverity?: Severity;
  source?: string;
  text?: string;
}

/**
 * Selects system events, newest first.
 * @example selectEvents().minSeverity('warning').text('disconnect').compile()
 */
export class EventQueryBuilder extends RangedBuilder<State> {
  /** Only events at or above this severity. */
  minSeverity(minSeverity: Severity): this {
    if (!SEVERITIES.includes(minSeverity))
      throw new ValidationError('severity', `must be one of ${SEVERITIES.join(', ')}`);
    return this.with({ minSeverity });
  }
  /** Only events from this source. */
  source(source: string): this {
    return this.with({ source: checkText('source', source) });
  }
  /** Only events whose message contains this text (case-insensitive, literal). */
  text(text: string): this {
    return this.with({ text: checkText('text', text) });
  }
  /** Compiles to frozen SQL and parameters. */
  compile(): CompiledQuery<EventRow> {
    const s = this.state;
    const where = new WhereClause();
    if (s.minSeverity !== undefined) where.add('level >= ?', severityLevel(s.minSeverity));
    if (s.source !== undefined) where.add('source = ?', s.source);
    if (s.text !== undefined) where.add('contains(lower(message), lower(?))', s.text);
    addTimeRange(where, s);
    return compiled(
      `SELECT ${EVENT_COLUMNS} FROM ${SYSTEM_EVENTS.name}${where.toSql()} ORDER BY ts DESC, id DESC LIMIT ?`,
      [...where.params, s.limit],
    );
  }
}

/** Starts an event selection (1000 rows by default). */
export function selectEvents(): EventQueryBuilder {
  return new EventQueryBuilder({ limit: 1000 });
}
