// The page's two uPlot charts: readings per second (all sensors), and each sensor's 1 s mean
// (the first ten sensors), over the last 60 s.
import uPlot from 'uplot';
import type { DashboardView } from '../aggregate';

const KEEP = 240; // 60 s of frames, one every 250 ms
const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#475569'];

function options(title: string, series: uPlot.Series[], width: number): uPlot.Options {
  return { title, width, height: 220, series: [{}, ...series], axes: [{}, { size: 50 }], legend: { show: true } };
}

/** Keeps the charts' data and redraws them at each frame. */
export class Charts {
  private readonly times: number[] = [];
  private readonly rate: number[] = [];
  private readonly means = new Map<string, Array<number | null>>();
  private readonly rateChart: uPlot;
  private meanChart: uPlot | null = null;

  constructor(
    rateHost: HTMLElement,
    private readonly meanHost: HTMLElement,
  ) {
    this.rateChart = new uPlot(options('readings/s (all sensors)', [{ label: 'readings/s', stroke: COLOURS[0], width: 2 }], this.width()), [[], []], rateHost);
  }

  private width(): number {
    return Math.max(320, Math.floor((document.body.clientWidth - 48) / 2));
  }

  add(view: DashboardView): void {
    this.times.push(view.time / 1000);
    this.rate.push(view.readingsPerSecond);
    const shown = view.sensors.slice(0, COLOURS.length);
    for (const s of shown) {
      if (!this.means.has(s.sensor)) this.means.set(s.sensor, this.times.slice(1).map(() => null));
    }
    for (const [name, list] of this.means) {
      const s = shown.find((x) => x.sensor === name);
      list.push(s === undefined || s.window1s.count === 0 ? null : s.window1s.mean);
    }
    if (this.times.length > KEEP) {
      this.times.shift();
      this.rate.shift();
      for (const list of this.means.values()) list.shift();
    }
    this.rateChart.setData([this.times, this.rate]);
    const names = [...this.means.keys()];
    if (this.meanChart === null || this.meanChart.series.length !== names.length + 1) {
      this.meanChart?.destroy();
      const series = names.map((label, i) => ({ label, stroke: COLOURS[i % COLOURS.length], width: 1.5, spanGaps: false }));
      this.meanChart = new uPlot(options('1 s mean per sensor', series, this.width()), [this.times, ...this.means.values()], this.meanHost);
    } else {
      this.meanChart.setData([this.times, ...this.means.values()]);
    }
  }
}
