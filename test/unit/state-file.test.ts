import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { record } from '../../src/incident/hysteresis.js';
import { readStateFile, writeStateFile } from '../../src/state/file.js';
import {
  STATE_FORMAT,
  parseSavedState,
  savedStateOf,
  serializeSavedState,
} from '../../src/state/saved-state.js';

const HISTORY = record(null, {
  at: '2026-03-04T10:00:00.000Z',
  kind: 'unhealthy',
  severity: 'P3',
  diagnosis: 'upstream_incident',
  models: [{ model: 'claude-haiku-4-5', reached: 5, failed: 0 }],
});
const STATE = savedStateOf(HISTORY, 12, new Date('2026-03-04T10:00:00.000Z'));

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'runbook-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the state file', () => {
  it('round-trips the window, the counters and the open incident number, creating its directory', async () => {
    const file = path.join(dir, 'nested', 'state.json');
    await writeStateFile(file, STATE);
    expect(await readStateFile(file)).toEqual({ kind: 'read', state: STATE });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      format: STATE_FORMAT,
      v: 1,
      incident: 12,
    });
  });

  it('replaces the file atomically, leaving no temporary file behind', async () => {
    const file = path.join(dir, 'state.json');
    await writeStateFile(file, STATE);
    await writeStateFile(file, savedStateOf(null, null, new Date('2026-03-04T10:10:00.000Z')));
    expect(await readdir(dir)).toEqual(['state.json']);
    expect(await readStateFile(file)).toMatchObject({
      kind: 'read',
      state: { history: null, incident: null },
    });
  });

  it('reads a missing file as missing, and never throws on a corrupt, foreign or unreadable one', async () => {
    expect(await readStateFile(path.join(dir, 'none.json'))).toEqual({ kind: 'missing' });
    const cases: [string, string][] = [
      ['{"format":', 'not valid JSON'],
      ['{"name":"package"}', `not a ${STATE_FORMAT} file`],
      [JSON.stringify({ ...STATE, v: 2 }), 'version 2, expected 1'],
      [JSON.stringify({ ...STATE, history: { observations: 3 } }), 'the history is malformed'],
      [JSON.stringify({ ...STATE, savedAt: 'yesterday' }), 'no valid savedAt time'],
    ];
    for (const [text, problem] of cases) {
      const file = path.join(dir, 'state.json');
      await writeFile(file, text);
      expect(await readStateFile(file)).toEqual({ kind: 'unreadable', problem: `${file}: ${problem}` });
    }
    const directory = path.join(dir, 'a-directory');
    await mkdir(directory);
    expect(await readStateFile(directory)).toEqual({
      kind: 'unreadable',
      problem: `${directory} is not a file`,
    });
  });

  it('serializes to one line of JSON that parses back the same', () => {
    const text = serializeSavedState(STATE);
    expect(text.trimEnd()).not.toContain('\n');
    expect(parseSavedState(text)).toEqual({ ok: true, state: STATE });
  });
});
