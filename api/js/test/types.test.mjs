// The .d.ts files against a TypeScript user (test/types/usage.ts), with the TypeScript compiler from the lockfile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

test('the .d.ts types compile against a TypeScript user, and reject what they should', () => {
  try {
    execFileSync(process.execPath, [`${here}../node_modules/typescript/bin/tsc`, '-p', `${here}types`], { encoding: 'utf8' });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});
