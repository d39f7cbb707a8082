/** Reads the project's own fixtures (test/fixtures), never ../shared: the simulator answers with real shapes. */
import { readFileSync } from 'node:fs';

const FIXTURES_ROOT = new URL('../test/fixtures/', import.meta.url);

export function readFixtureText(relativePath: string): string {
  return readFileSync(new URL(relativePath, FIXTURES_ROOT), 'utf8');
}

export function readFixtureJson<T>(relativePath: string): T {
  return JSON.parse(readFixtureText(relativePath)) as T;
}
