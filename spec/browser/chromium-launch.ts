// Debian's Chromium for the browser specs, driven by playwright-core (which never downloads a
// browser): where it is, whether it is there (saying once, on stderr, that a spec is skipped),
// and launching it headless with a fresh profile.
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether Chromium is installed; if not, says that `spec` is skipped. */
export function haveChromium(spec: string): boolean {
  const there = existsSync(chromiumPath);
  if (!there) process.stderr.write(`${spec}: SKIPPED, no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)\n`);
  return there;
}

/** Launches headless Chromium with the profile directory `profile` (fresh: a new temp directory). */
export function launchChromium(profile: string, viewport?: { width: number; height: number }): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...(viewport === undefined ? {} : { viewport }),
    timeout: 30_000,
  });
}
