// The dashboard demo in a real browser: `npm run demo -- --sensors 3` started as a process,
// its page opened in Debian's Chromium (playwright-core, never a downloaded browser). Charts and
// counters change, "Kill sensor" takes a sensor offline and it comes back, a malformed frame is
// counted by its error code, "Restart ingest
// server" brings every sensor back with the loss their unsent$ reported. Skipped, saying so once,
// when there is no Chromium. A screenshot goes to the test's temp directory (and to
// $DASHBOARD_SCREENSHOT when set, as for the README's).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { alive } from '../helpers/processes';
import { haveChromium, launchChromium } from './chromium-launch';

const root = resolve(__dirname, '../..');
const SENSORS = ['s1', 's2', 's3'];

/** Starts the demo and resolves with its URL and the sensor pids, from its first lines. */
function startDemo(): Promise<{ demo: ChildProcess; url: string; pids: number[] }> {
  const demo = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'demos/index.ts', '--sensors', '3', '--port', '0', '--duration', '150'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((done, fail) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const url = /^dashboard on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out)?.[1];
      const pids = /^sensor processes (.+)$/m.exec(out)?.[1];
      if (url !== undefined && pids !== undefined) {
        demo.stdout?.removeListener('data', onData);
        demo.stdout?.resume();
        done({ demo, url, pids: pids.split(' ').map(Number) });
      }
    };
    demo.stdout?.on('data', onData);
    demo.once('exit', (code) => fail(new Error(`demo exited with ${code} before printing its URL: ${out}`)));
  });
}

const text = (page: Page, selector: string): Promise<string> => page.locator(selector).innerText();

(haveChromium('spec/browser/dashboard-page.spec.ts') ? describe : describe.skip)('the dashboard page in Chromium', () => {
  let demo: ChildProcess | undefined;
  let url = '';
  let pids: number[] = [];
  let context: BrowserContext | undefined;
  let page: Page;
  let output = '';

  beforeAll(async () => {
    output = mkdtempSync(join(tmpdir(), 'rxsocket-dashboard-'));
    ({ demo, url, pids } = await startDemo());
    context = await launchChromium(join(output, 'profile'), { width: 1400, height: 1000 });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
    await page.goto(url);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (demo !== undefined && demo.exitCode === null) {
      const exited = new Promise((done) => demo?.once('exit', done));
      demo.kill('SIGTERM');
      await exited;
    }
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(output, { recursive: true, force: true });
  }, 30_000);

  it('shows every sensor online, and charts and counters that change', async () => {
    await page.waitForFunction(`document.getElementById('online')?.textContent === '3/3'`);
    const counters = await page.locator('[data-server="ingest (TCP)"]').textContent();
    const chart = await page.evaluate(`document.querySelector('#chart-rate canvas').toDataURL()`);
    await page.waitForFunction(`document.querySelector('[data-server="ingest (TCP)"]').textContent !== ${JSON.stringify(counters)}`);
    await page.waitForFunction(`document.querySelector('#chart-rate canvas').toDataURL() !== ${JSON.stringify(chart)}`);
    expect(Number(await text(page, '#rate'))).toBeGreaterThan(0);
    expect(await page.locator('#sensors tr[data-sensor]').count()).toBe(3);
    expect(await text(page, '[data-server="ingest (TCP)"] .open')).toBe('3');
  }, 60_000);

  it('takes a killed sensor offline, and the demo starts it again', async () => {
    await page.selectOption('#sensor', 's2');
    await page.click('#kill');
    await page.waitForSelector('#sensors tr[data-sensor="s2"][data-state="offline"]');
    expect(await text(page, '#reply')).toMatch(/^killed s2/);
    await page.waitForSelector('#sensors tr[data-sensor="s2"][data-state="online"]');
    expect(await page.locator('#sensors tr[data-state="online"]').count()).toBe(3);
  }, 60_000);

  it('counts a malformed frame under its error code while every sensor goes on', async () => {
    await page.selectOption('#sensor', 's3');
    await page.click('#malformed');
    await page.waitForSelector('[data-server="ingest (TCP)"] .error[data-code="RXSOCKET_ERR_DECODE"]');
    expect(await text(page, '[data-server="ingest (TCP)"] .errors')).toBe('RXSOCKET_ERR_DECODE: 1');
    expect(await page.locator('#sensors tr[data-state="online"]').count()).toBe(3);
  }, 60_000);

  it('restarts the ingest server: every sensor comes back, and the loss unsent$ reported is shown', async () => {
    await page.click('#restart');
    await page.waitForFunction(`/^ingest server restarted/.test(document.getElementById('reply').textContent)`);
    expect(await text(page, '#restarts')).toBe('1');
    // Every sensor connected again, online, and reporting what its unsent$ reported (above 0: it
    // keeps 10 readings while disconnected, and the server was down for 1.5 s at 20 readings/s).
    await page.waitForFunction(`
      document.querySelector('[data-server="ingest (TCP)"] .open').textContent === '${SENSORS.length}' &&
      ${JSON.stringify(SENSORS)}.every((s) => {
        const row = document.querySelector('#sensors tr[data-sensor="' + s + '"]');
        return row?.getAttribute('data-state') === 'online' && Number(row.querySelector('td.unsent').textContent) > 0;
      })`);
    const unsent = await page.locator('#sensors tr[data-sensor] td.unsent').allInnerTexts();
    const loss = Number(await text(page, '#loss'));
    expect(loss).toBe(unsent.reduce((sum, n) => sum + Number(n), 0));
    // Nothing lost beyond what unsent$ reported: the gaps in each sensor's sequence numbers are
    // the readings it reported unsent (once its readings carry the final count).
    await page.waitForFunction(`[...document.querySelectorAll('#sensors tr[data-sensor]')].every((row) => row.querySelector('td.unsent').textContent === row.querySelector('td.missing').textContent)`);
    const shot = join(output, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    if (process.env.DASHBOARD_SCREENSHOT !== undefined) copyFileSync(shot, process.env.DASHBOARD_SCREENSHOT);
  }, 60_000);

  it('stops every sensor process when the demo stops', async () => {
    const exited = new Promise<number | null>((done) => demo?.once('exit', (code) => done(code)));
    demo?.kill('SIGTERM');
    expect(await exited).toBe(0);
    const now = pids.filter(alive);
    expect(now).toEqual([]);
  }, 30_000);
});
