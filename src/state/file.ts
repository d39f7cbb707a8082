/**
 * Reading and writing the state file (the `state-file` input). Reading never throws: a missing file
 * is a first run or a cache miss, a corrupt one is reported and ignored. Writing is atomic (a temporary
 * file renamed over the old one), so a run killed half-way never leaves half a file behind.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_STATE_BYTES, parseSavedState, serializeSavedState } from './saved-state.js';
import type { SavedState } from './saved-state.js';

export type StateFileRead =
  { kind: 'missing' } | { kind: 'unreadable'; problem: string } | { kind: 'read'; state: SavedState };

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export async function readStateFile(file: string): Promise<StateFileRead> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { kind: 'unreadable', problem: `${file} is not a file` };
    if (info.size > MAX_STATE_BYTES)
      return { kind: 'unreadable', problem: `${file} is ${info.size} bytes, too large` };
    const parsed = parseSavedState(await readFile(file, 'utf8'));
    return parsed.ok
      ? { kind: 'read', state: parsed.state }
      : { kind: 'unreadable', problem: `${file}: ${parsed.problem}` };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', problem: `${file}: ${errorCode(error) ?? (error as Error).message}` };
  }
}

/** Writes the file atomically, creating its directory. Throws on failure; the caller decides what it means. */
export async function writeStateFile(file: string, state: SavedState): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, serializeSavedState(state), 'utf8');
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
