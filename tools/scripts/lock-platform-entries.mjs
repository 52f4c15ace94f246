#!/usr/bin/env node
// The npm registry snapshot this project installs from holds only the Linux builds of packages that ship native
// binaries per platform (@swc/core-*, @unrs/resolver-binding-*). `npm install` then writes a lock file without the
// other platforms' optional entries, and `npm ci` refuses it ("Missing: @swc/core-darwin-arm64@ from lock file").
// This script adds each missing optional platform package to package-lock.json with its os/cpu/libc, so npm ci
// skips it on a machine it does not fit (nothing is downloaded) and installs it where it does (from a full
// registry). Run it after any `npm install` that changes the lock file: `node tools/scripts/lock-platform-entries.mjs`.
// `--check` changes nothing and exits 1 when entries are missing (a test runs it, so a broken lock cannot land).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const file = join(import.meta.dirname, '..', '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32'];

/** `core-linux-arm-gnueabihf` -> { os: linux, cpu: arm, libc: glibc }; undefined if the name names no platform. */
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  if (!os || !cpu) return undefined;
  const libc = parts.some((p) => p.startsWith('musl')) ? 'musl' : os === 'linux' && parts.some((p) => p.startsWith('gnu')) ? 'glibc' : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${dep}`;
    if (lock.packages[target] || lock.packages[`${path}/${target}`]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    lock.packages[target] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [platform.os],
      cpu: [platform.cpu],
      ...(platform.libc ? { libc: [platform.libc] } : {}),
    };
    added++;
  }
}
if (process.argv.includes('--check')) {
  console.log(added === 0 ? 'package-lock.json: every optional platform package has an entry' : `package-lock.json: ${added} optional platform entries missing; npm ci will refuse it. Run: node tools/scripts/lock-platform-entries.mjs`);
  process.exit(added === 0 ? 0 : 1);
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: added ${added} optional platform entr${added === 1 ? 'y' : 'ies'}`);
