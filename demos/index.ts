// `npm run --silent demo -- [name] [options]`: runs one demo by name (the framing tour by default).
import { dashboardDemo } from './dashboard/dashboard';
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
  'jsocket-server': jsocketServerDemo,
  'jsocket-client': jsocketClientDemo,
  'oneline-server': onelineServerDemo,
  'oneline-client': onelineClientDemo,
  'packetsocket-server': packetsocketServerDemo,
  'packetsocket-client': packetsocketClientDemo,
  'jsockd-run': jsockdRun,
};

const [name = 'framing-tour', ...argv] = process.argv.slice(2);
const demo = demos[name];
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
