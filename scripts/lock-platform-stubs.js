#!/usr/bin/env node
// The package registry this project installs from lacks some platform-only optional packages
// (for example @unrs/resolver-binding-win32-x64-msvc, which jest 30's resolver lists for other
// platforms). `npm install` then leaves them out of package-lock.json, and `npm ci` refuses a
// lock file that misses a listed optional dependency. This adds an entry for each one that is
// missing, with the os/cpu it targets, so `npm ci` skips it on this platform, as it would anyway.
// Run after `npm install` changes the lock file: `node scripts/lock-platform-stubs.js`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const packages = lock.packages;

/** os, cpu and libc of a binding, read from its name (`...-linux-arm-musleabihf`, `...-win32-x64-msvc`). */
function platformOf(name) {
  const os = ['android', 'darwin', 'freebsd', 'linux', 'openharmony', 'win32'].find((o) => name.includes(`-${o}-`));
  const tail = name.slice(name.indexOf(`-${os}-`) + os.length + 2);
  const cpu = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 's390x', 'riscv64'].find((c) => tail.startsWith(c));
  const libc = tail.includes('musl') ? ['musl'] : os === 'linux' ? ['glibc'] : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (packages[key] !== undefined || packages[`${location}/${key}`] !== undefined) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (os === undefined || cpu === undefined || (os === process.platform && cpu === process.arch)) {
      throw new Error(`${dep} is missing from the lock file and is not a foreign-platform binding`);
    }
    packages[key] = { version, cpu: [cpu], dev: entry.dev, ...(libc ? { libc } : {}), optional: true, os: [os] };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform stub(s) to package-lock.json`);
