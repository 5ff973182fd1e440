#!/usr/bin/env node
/**
 * `npm run lint`'s Electron security scan: @doyensec/electronegativity over src/, offline.
 *
 * Run through its programmatic API instead of its CLI because the CLI
 *   - downloads translations from S3 on every start (up to seconds when offline) — replaced
 *     here by its bundled en-US strings, so the scan never touches the network;
 *   - exits 0 whatever it finds — here any finding or unparsable file fails the lint.
 * electronegativity.json lists the checks switched off and the individual findings accepted
 * after review (check + file + the flagged text), each with its reason; an accepted finding
 * whose text changes fails again. The Electron version is the installed one (`-e`), since it
 * cannot be read from src/.
 */
import fs from 'node:fs';
import { Module, createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(path.join(root, 'package.json'));
const config = JSON.parse(fs.readFileSync(path.join(root, 'electronegativity.json'), 'utf8'));

const engDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const i18nFile = path.join(engDir, 'dist', 'locales', 'i18n.js');
const i18n = createRequire(i18nFile)('i18n');

/** The tool's i18n set-up minus the download: bundled en-US strings, `__` registered globally. */
function localI18n() {
  i18n.configure({
    locales: ['en-US'],
    defaultLocale: 'en-US',
    directory: path.dirname(i18nFile),
    updateFiles: false,
    objectNotation: true,
    retryInDefaultLocale: true,
    register: globalThis,
  });
  i18n.setLocale('en-US');
  return Promise.resolve();
}
const stub = new Module(i18nFile);
stub.filename = i18nFile;
stub.loaded = true;
stub.exports = { __esModule: true, default: localI18n };
require.cache[i18nFile] = stub;

const { default: run } = await import(path.join(engDir, 'dist', 'runner.js'));
const { version: electronVersion } = JSON.parse(
  fs.readFileSync(require.resolve('electron/package.json'), 'utf8'),
);

const started = Date.now();
const input = path.join(root, config.input);
const result = await run(
  {
    input,
    isRelative: true,
    electronVersionOverride: electronVersion,
    excludeFromScan: Object.keys(config.excludeChecks).map((name) => name.toLowerCase()),
    customScan: [],
    parserPlugins: [],
  },
  false,
);

const problems = [];
for (const error of result.errors) {
  problems.push(`${path.relative(root, error.file)}: could not parse: ${error.message}`);
}
/** A reviewed finding: same check, same file and (when given) the same flagged source text. */
const allowance = (issue, file) =>
  config.allow.findIndex(
    (a) =>
      a.check === issue.id &&
      a.file === file &&
      (a.sample === undefined || a.sample === issue.sample),
  );
const used = new Set();
for (const issue of result.issues) {
  const file = `${config.input}/${issue.file}`;
  const allowed = allowance(issue, file);
  if (allowed >= 0) {
    used.add(allowed);
    continue;
  }
  const where = `${file}:${issue.location.line}:${issue.location.column}`;
  const rating = `${issue.severity.name}/${issue.confidence.name}`;
  const flagged = issue.sample ? `\n    flagged: ${issue.sample}` : '';
  problems.push(
    `${where} ${issue.id} (${rating}): ${issue.description} ${issue.shortenedURL}${flagged}`,
  );
}
// An allowance nothing matches any more is stale (the code or the policy changed): review it.
config.allow.forEach((a, i) => {
  if (!used.has(i))
    problems.push(`electronegativity.json: stale allowance ${a.check} in ${a.file}`);
});
const summary =
  `electronegativity ${electronVersion ? `(Electron ${electronVersion}) ` : ''}` +
  `${result.globalChecks + result.atomicChecks} checks on ${config.input}/ in ${Date.now() - started} ms` +
  ` (${used.size} reviewed finding(s) allowed, see electronegativity.json)`;
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`${summary}: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`${summary}: no findings`);
