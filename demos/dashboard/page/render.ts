// Renders a frame into the page's cards and tables. Rates (messages/s, bytes/s) are differences
// of serverStats samples about a second apart; the page counts nothing itself but latency.
import type { ServerStatsSample } from 'rxjs-socket';
import type { SensorView, WindowFigures } from '../aggregate';
import type { Frame } from '../protocol';

/** The samples kept to compute rates over about a second. */
export interface Rates {
  readonly previous: ReadonlyArray<{ readonly ingest: ServerStatsSample; readonly viewers: ServerStatsSample }>;
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fixed = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const bytes = (n: number): string => (n >= 1024 * 1024 ? `${fixed(n / 1024 / 1024, 1)} MiB` : n >= 1024 ? `${fixed(n / 1024, 1)} KiB` : `${n} B`);

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] as number);
}

function windowCells(w: WindowFigures): string {
  return `<td>${fixed(w.mean)}</td><td>${fixed(w.min)}</td><td>${fixed(w.max)}</td>`;
}

function sensorRow(s: SensorView, nodes: boolean): string {
  const state = s.online ? 'online' : 'offline';
  const node = nodes ? `<td class="node">${escape(s.node ?? '')}</td>` : '';
  return `<tr data-sensor="${escape(s.sensor)}" data-state="${state}"><td>${escape(s.sensor)}</td>${node}<td class="${state}">${state}</td><td>${fixed(s.last)}</td>${windowCells(s.window1s)}${windowCells(s.window10s)}<td class="unsent">${s.unsent}</td><td class="missing">${s.missing}</td></tr>`;
}

function serverRows(name: string, now: ServerStatsSample, then: ServerStatsSample | undefined): string {
  const seconds = then === undefined ? 0 : (now.time - then.time) / 1000;
  const rate = (key: 'messagesIn' | 'messagesOut' | 'bytesIn' | 'bytesOut'): number => (seconds > 0 && then !== undefined ? (now[key] - then[key]) / seconds : NaN);
  const errors = Object.entries(now.errors).map(([code, count]) => `<span class="error" data-code="${escape(code)}">${escape(code)}: ${count}</span>`);
  return `<tr data-server="${name}"><th>${name}</th><td class="open">${now.open}</td><td>${now.accepted}</td><td>${now.closed}</td>
<td>${fixed(rate('messagesIn'), 0)}</td><td>${fixed(rate('messagesOut'), 0)}</td><td>${bytes(Math.round(rate('bytesIn')) || 0)}/s</td><td>${bytes(Math.round(rate('bytesOut')) || 0)}/s</td>
<td>${bytes(now.queuedBytes)}</td><td class="errors">${errors.join(' ') || 'none'}</td></tr>`;
}

/** Renders `frame`; returns the samples to compute the next rates with. */
export function renderFrame(frame: Frame, rates: Rates, latencies: readonly number[]): Rates {
  const { view } = frame;
  const online = view.sensors.filter((s) => s.online).length;
  const sorted = latencies.slice(-2000).sort((a, b) => a - b);
  const cards: Array<[string, string, string]> = [
    ['online', 'sensors online', `${online}/${view.sensors.length}`],
    ['rate', 'readings/s', String(view.readingsPerSecond)],
    ['loss', 'readings lost (unsent$)', String(view.unsent)],
    ['missing', 'readings missing (seq gaps)', String(view.missing)],
    ['restarts', 'ingest restarts', String(frame.ingestRestarts)],
    ['latency', 'sensor → page p50 / p99', `${fixed(percentile(sorted, 50), 0)} / ${fixed(percentile(sorted, 99), 0)} ms`],
    ['cpu', 'dashboard CPU', `${fixed(frame.cpu, 0)} %`],
  ];
  document.getElementById('cards')!.innerHTML = cards.map(([id, label, value]) => `<div class="card"><div class="label">${label}</div><div class="value" id="${id}">${value}</div></div>`).join('');
  // A node column only when the readings say which node took them in (`--nodes` 2 or more).
  const nodes = view.sensors.some((s) => s.node !== undefined);
  document.getElementById('sensors')!.innerHTML =
    `<tr><th rowspan="2">sensor</th>${nodes ? '<th rowspan="2">node</th>' : ''}<th rowspan="2">state</th><th rowspan="2">last</th><th colspan="3">1 s</th><th colspan="3">10 s</th><th rowspan="2">unsent</th><th rowspan="2">missing</th></tr><tr><th>mean</th><th>min</th><th>max</th><th>mean</th><th>min</th><th>max</th></tr>` +
    view.sensors.map((s) => sensorRow(s, nodes)).join('');
  const then = rates.previous.find((p) => frame.ingest.time - p.ingest.time >= 900) ?? rates.previous[0];
  document.getElementById('servers')!.innerHTML =
    '<tr><th></th><th>open</th><th>accepted</th><th>closed</th><th>msg/s in</th><th>msg/s out</th><th>bytes/s in</th><th>bytes/s out</th><th>queued</th><th>errors by code</th></tr>' +
    serverRows('ingest (TCP)', frame.ingest, then?.ingest) +
    serverRows('viewers (WebSocket)', frame.viewers, then?.viewers);
  document.getElementById('viewers')!.innerHTML =
    '<tr><th>viewer</th><th>queued</th><th>writable</th><th>messages out</th><th>bytes out</th><th>frames skipped</th></tr>' +
    frame.viewerRows
      .map((v) => `<tr data-viewer="${escape(v.name)}"><td>${v.id}: ${escape(v.name)}</td><td class="queued">${bytes(v.queuedBytes)}</td><td class="${v.writable ? 'online' : 'offline'}">${v.writable}</td><td>${v.messagesOut}</td><td>${bytes(v.bytesOut)}</td><td>${v.skipped}</td></tr>`)
      .join('');
  const keep = rates.previous.filter((p) => frame.ingest.time - p.ingest.time < 3000);
  return { previous: [...keep, { ingest: frame.ingest, viewers: frame.viewers }] };
}
