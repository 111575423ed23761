// `npm run demo -- [name]`: runs one demo by name (the framing tour by default).
import { framingTour } from './framing-tour';

const demos: Record<string, () => Promise<void>> = {
  'framing-tour': framingTour,
};

const name = process.argv[2] ?? 'framing-tour';
const demo = demos[name];
if (demo === undefined) {
  console.error(`unknown demo ${name}; available: ${Object.keys(demos).join(', ')}`);
  process.exitCode = 2;
} else {
  demo().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
