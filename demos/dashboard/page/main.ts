// The dashboard page: one WebSocket to /live (rxjs-socket/browser), reconnected after a second
// when it drops. Frames pushed by the server are rendered (uPlot charts, tables); the buttons are
// requests with ids (idRequester), answered by the server's serveWithIds.
import { defer, repeat, retry, switchMap, tap } from 'rxjs';
import { connectWebSocket, idRequester, json, type Connection, type Enveloped, type IdRequester } from 'rxjs-socket/browser';
import type { Command, CommandReply, Frame, Push } from '../protocol';
import { Charts } from './charts';
import { renderFrame, type Rates } from './render';

type In = Enveloped<CommandReply> | Push;
type Out = Enveloped<Command>;

const app = document.getElementById('app') as HTMLElement;
app.innerHTML = `
<header><h1>rxsocket live dashboard</h1><span id="link">connecting…</span></header>
<section class="controls">
  <label>sensor <select id="sensor"></select></label>
  <button id="kill">Kill sensor</button>
  <button id="malformed">Send malformed frame</button>
  <button id="restart">Restart ingest server</button>
  <button id="slow">Slow a viewer</button>
  <span id="reply"></span>
</section>
<section class="cards" id="cards"></section>
<section class="charts"><div id="chart-rate"></div><div id="chart-mean"></div></section>
<section class="tables">
  <div><h2>Sensors</h2><table id="sensors"></table></div>
  <div><h2>Servers (serverStats)</h2><table id="servers"></table>
  <h2>Viewers (connectionStats)</h2><table id="viewers"></table></div>
</section>`;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const charts = new Charts($('chart-rate'), $('chart-mean'));
const latencies: number[] = [];
let rates: Rates = { previous: [] };
let rpc: IdRequester<Command, CommandReply, In> | null = null;

function onPush(message: In): void {
  if (!('kind' in message)) return;
  if (message.kind === 'reading') {
    latencies.push(Date.now() - message.sentAt);
    if (latencies.length > 4000) latencies.splice(0, latencies.length - 2000);
    return;
  }
  const frame: Frame = message;
  rates = renderFrame(frame, rates, latencies);
  charts.add(frame.view);
  const select = $<HTMLSelectElement>('sensor');
  if (select.options.length !== frame.view.sensors.length) {
    const chosen = select.value;
    select.innerHTML = frame.view.sensors.map((s) => `<option>${s.sensor}</option>`).join('');
    if (chosen !== '') select.value = chosen;
  }
}

function command(body: Command): void {
  const reply = $('reply');
  if (rpc === null) {
    reply.textContent = 'not connected';
    return;
  }
  reply.textContent = `${body.op}…`;
  rpc.request(body).subscribe({
    next: (answer) => (reply.textContent = answer.text),
    error: (error: unknown) => (reply.textContent = `${body.op} failed: ${error instanceof Error ? error.message : String(error)}`),
  });
}

const sensor = (): string => $<HTMLSelectElement>('sensor').value;
$('kill').addEventListener('click', () => command({ op: 'kill', sensor: sensor() }));
$('malformed').addEventListener('click', () => command({ op: 'malformed', sensor: sensor() }));
$('restart').addEventListener('click', () => command({ op: 'restart-ingest' }));
$('slow').addEventListener('click', () => command({ op: 'slow-viewer' }));

defer(() => connectWebSocket<In, Out>(`ws://${location.host}/live`, { codec: { in: json<In>(), out: json<Out>() }, connectTimeout: 5000 }))
  .pipe(
    tap((connection: Connection<In, Out>) => {
      $('link').textContent = 'live';
      rpc = idRequester<Command, CommandReply, In, Out>(connection, { timeout: 10_000 });
      rpc.request({ op: 'hello', name: 'page', readings: true }).subscribe({ error: () => undefined });
    }),
    switchMap((connection) => connection.messages$),
    retry({ delay: 1000 }),
    repeat({ delay: 1000 }),
  )
  .subscribe({ next: onPush, error: () => ($('link').textContent = 'disconnected') });
