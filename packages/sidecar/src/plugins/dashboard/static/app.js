// Wires the dashboard: range presets, auto-refresh, the catalog, the panels, and the choices kept in the address.

import { ApiClient } from './api-client.js';
import { CandlePanel } from './candle-panel.js';
import { EventsPanel } from './events-panel.js';
import { FillsPanel } from './fills-panel.js';
import { HeaderPanel } from './header-panel.js';
import { MetricPanel } from './metric-panel.js';
import { PRESETS, windowOf } from './time-range.js';
import { createTokenPrompt } from './token-prompt.js';

const $ = (selector) => document.querySelector(selector);

const saved = Object.fromEntries(new URLSearchParams(location.hash.slice(1)));
const api = new ApiClient(createTokenPrompt($('#token-dialog')));
const header = new HeaderPanel($('#stats'), api);
const candles = new CandlePanel($('#candle-panel'), api);
const metrics = new MetricPanel($('#metric-panel'), api);
const events = new EventsPanel($('#events-panel'), api);
const fills = new FillsPanel($('#fills-panel'), api);

let preset = saved.range in PRESETS ? saved.range : '1h';
let timer = null;

/** Runs a panel's refresh; shows its error in its status line instead of failing the others. */
async function guarded(panel, run) {
  const section = panel.closest('section, header');
  try {
    await run();
    section.classList.remove('failed');
  } catch (error) {
    section.classList.add('failed');
    const status = section.querySelector('[data-role="status"]');
    if (status) status.textContent = `Error: ${error.message}`;
  }
}

function saveState() {
  const state = {
    range: preset,
    refresh: $('#auto-refresh').value,
    ...prefixed('c', candles.state()),
    ...prefixed('m', metrics.state()),
    ...prefixed('e', events.state()),
    ...prefixed('f', fills.state()),
  };
  history.replaceState(null, '', `#${new URLSearchParams(state)}`);
}

function prefixed(prefix, state) {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [`${prefix}.${k}`, v ?? '']));
}

function unprefixed(prefix) {
  return Object.fromEntries(
    Object.entries(saved)
      .filter(([k]) => k.startsWith(`${prefix}.`))
      .map(([k, v]) => [k.slice(prefix.length + 1), v]),
  );
}

let running = null;
/** Settles when the pickers hold the catalog's names (the charts wait for it, the header and events do not). */
let catalogReady = guarded($('#stats'), () => loadCatalog(true));

/** Reloads everything for the current range; concurrent calls share one run. */
function refreshAll() {
  running ??= (async () => {
    const window = windowOf(preset);
    document.body.classList.add('loading');
    await Promise.all([
      guarded($('#stats'), () => header.refresh()),
      guarded($('#events-panel'), () => events.refresh(window)),
      catalogReady.then(() =>
        Promise.all([
          guarded($('#candle-panel'), () => candles.refresh(window, preset)),
          guarded($('#metric-panel'), () => metrics.refresh(window, preset)),
          guarded($('#fills-panel'), () => fills.refresh(window)),
        ]),
      ),
    ]);
    document.body.classList.remove('loading');
    document.body.dataset.loadedAt = String(Date.now());
    saveState();
  })().finally(() => {
    running = null;
  });
  return running;
}

async function loadCatalog(first) {
  const catalog = await api.get('dashboard/catalog', first ? {} : { fresh: 1 });
  candles.setMarkets(catalog.markets, first ? unprefixed('c') : undefined);
  metrics.setCatalog(catalog, first ? unprefixed('m') : undefined);
  fills.setCatalog(catalog, first ? unprefixed('f') : undefined);
}

function setPreset(next) {
  preset = next;
  for (const button of document.querySelectorAll('#range button')) {
    button.setAttribute('aria-pressed', String(button.dataset.range === preset));
  }
}

function setAutoRefresh(seconds) {
  clearInterval(timer);
  timer =
    Number(seconds) > 0 ? setInterval(() => document.hidden || refreshAll(), Number(seconds) * 1000) : null;
}

function onChange(selector, handler) {
  $(selector).addEventListener('change', handler);
}

for (const button of document.querySelectorAll('#range button')) {
  button.addEventListener('click', () => {
    setPreset(button.dataset.range);
    refreshAll();
  });
}
$('#refresh-now').addEventListener('click', () => {
  catalogReady = guarded($('#stats'), () => loadCatalog(false));
  refreshAll();
});
onChange('#auto-refresh', (e) => {
  setAutoRefresh(e.target.value);
  saveState();
});
onChange('#candle-symbol', () => {
  candles.updateSources();
  guarded($('#candle-panel'), () => candles.refresh(windowOf(preset), preset)).then(saveState);
});
onChange('#candle-source', () => {
  candles.updateSources({ source: $('#candle-source').value, interval: 'auto' });
  guarded($('#candle-panel'), () => candles.refresh(windowOf(preset), preset)).then(saveState);
});
onChange('#candle-interval', () =>
  guarded($('#candle-panel'), () => candles.refresh(windowOf(preset), preset)).then(saveState),
);
for (const id of [
  '#metric-name',
  '#metric-symbol',
  '#metric-fn',
  '#metric-interval',
  '#metric-group',
  '#metric-labels',
  '#metric-promql',
]) {
  onChange(id, () => {
    metrics.updateControls();
    guarded($('#metric-panel'), () => metrics.refresh(windowOf(preset), preset)).then(saveState);
  });
}
for (const id of ['#fills-mid', '#fills-figure']) {
  onChange(id, () => guarded($('#fills-panel'), () => fills.refresh(windowOf(preset))).then(saveState));
}
onChange('#events-severity', () =>
  guarded($('#events-panel'), () => events.refresh(windowOf(preset))).then(saveState),
);

setPreset(preset);
if (saved['e.severity']) $('#events-severity').value = saved['e.severity'];
if (saved.refresh) $('#auto-refresh').value = saved.refresh;
setAutoRefresh($('#auto-refresh').value);
refreshAll();
