// Recent system events, newest first, coloured by severity.

import { element } from './dom.js';
import { formatTime } from './format.js';
import { Panel } from './panel.js';

const LIMIT = 100;

/** The events table inside `root` (the `#events-panel` section). */
export class EventsPanel extends Panel {
  constructor(root, api) {
    super(root, api, { minSeverity: '#events-severity', body: 'tbody' });
  }

  state() {
    return { severity: this.minSeverity.value };
  }

  /** Loads the newest events of `window`. */
  async refresh(window) {
    const body = await this.api.get('events', {
      from: window.from,
      to: window.to,
      severity: this.minSeverity.value,
      limit: LIMIT,
    });
    this.body.replaceChildren(
      ...body.data.map((e) => {
        const row = element('tr', `sev-${e.severity}`);
        const severity = element('td', 'severity');
        severity.append(element('span', `badge sev-${e.severity}`, e.severity));
        row.append(
          element('td', 'time', formatTime(Date.parse(e.timestamp))),
          severity,
          element('td', 'source', e.source),
          element('td', 'message', e.message),
          traceCell(e),
          detailsCell(e),
        );
        return row;
      }),
    );
    this.status.textContent =
      body.data.length === 0 ? 'No events in this range.' : `${body.data.length} newest events`;
    this.rendered();
  }
}

/** The trace id, shortened (full trace and span id on hover); empty for events without one. */
function traceCell(e) {
  const cell = element('td', 'trace', e.traceId ? `${e.traceId.slice(0, 8)}…` : '');
  if (e.traceId) cell.title = `trace ${e.traceId}${e.spanId ? ` span ${e.spanId}` : ''}`;
  return cell;
}

/**
 * The attributes, then for events that came as OTLP log records their own fields: event name, OTLP severity
 * (text and number), service, scope and the observed time when it differs from the record's.
 */
function detailsCell(e) {
  const cell = element('td', 'attributes', attributesText(e.attributes));
  const otlp = [];
  if (e.eventName) otlp.push(['event', e.eventName]);
  if (e.severityNumber !== null && e.severityNumber !== undefined) {
    otlp.push(['otlp severity', `${e.severityText ?? ''} (${e.severityNumber})`.trim()]);
  }
  const service = e.resource?.attributes?.['service.name'];
  if (service) otlp.push(['service', String(service)]);
  if (e.scope?.name)
    otlp.push(['scope', e.scope.version ? `${e.scope.name}@${e.scope.version}` : e.scope.name]);
  if (e.observedTimeUnixNano && e.observedTimeUnixNano !== e.timeUnixNano) {
    otlp.push(['observed', formatTime(Number(BigInt(e.observedTimeUnixNano) / 1_000_000n))]);
  }
  for (const [label, value] of otlp) {
    const tag = element('span', 'otlp-field', `${label}=${value}`);
    tag.dataset.field = label;
    cell.append(' ', tag);
  }
  return cell;
}

/** `k=v k2=v2` from the stored attributes (an object or its JSON text). */
function attributesText(attributes) {
  let value = attributes;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return value;
    }
  }
  return Object.entries(value ?? {})
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}
