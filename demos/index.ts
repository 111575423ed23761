// `npm run --silent demo -- [name] [options]`: runs one demo by name (the live dashboard by default;
// options alone, as in `npm run demo -- --duration 5`, go to the dashboard).
import { dashboardDemo } from './dashboard/dashboard';
import { dashboardLoadRun } from './dashboard/load-run';
import { framingTour } from './framing-tour';
import { jsocketClientDemo, jsocketServerDemo } from './jsocket-demos';
import { jsockdRun } from './jsockd-run';
import { onelineClientDemo, onelineServerDemo } from './oneline-demos';
import { packetsocketClientDemo, packetsocketServerDemo } from './packetsocket-demos';

const demos: Record<string, (argv: string[]) => Promise<number>> = {
  'framing-tour': async () => {
    await framingTour();
    return 0;
  },
  dashboard: dashboardDemo,
  'dashboard-load': dashboardLoadRun,
  'jsocket-server': jsocketServerDemo,
  'jsocket-client': jsocketClientDemo,
  'oneline-server': onelineServerDemo,
  'oneline-client': onelineClientDemo,
  'packetsocket-server': packetsocketServerDemo,
  'packetsocket-client': packetsocketClientDemo,
  'jsockd-run': jsockdRun,
};

const args = process.argv.slice(2);
const [name, ...argv] = args[0] === undefined || args[0].startsWith('-') ? ['dashboard', ...args] : args;
const demo = demos[name as string];
if (demo === undefined) {
  console.error(`unknown demo ${name}; available: ${Object.keys(demos).join(', ')}`);
  process.exitCode = 2;
} else {
  demo(argv).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
