import { describe, expect, it } from 'vitest';
import { INCIDENT_MARKER } from '../../src/incident/markers.js';
import { insertMemory, memoryComment, readMemory, writeMemory } from '../../src/incident/memory.js';
import type { IncidentMemory } from '../../src/incident/types.js';

const MEMORY: IncidentMemory = {
  v: 1,
  openedAt: '2026-03-04T10:00:10.000Z',
  severity: 'P2',
  diagnosis: 'overloaded',
  peakSeverity: 'P1',
  diagnosesSeen: ['server_error', 'overloaded'],
  healthyStreak: 1,
  lastRunAt: '2026-03-04T10:30:00.000Z',
  lastUnhealthyAt: '2026-03-04T10:15:00.000Z',
  requestIds: ['req_011CZAYNHHZc2dXw6vchbkhw', 'req_01ICfHarEhQMSJqNvS9fBxcw'],
  recoveredAt: '2026-03-04T10:30:00.000Z',
};

function bodyWith(comment: string): string {
  return `${INCIDENT_MARKER}\n${comment}\n\nPeople's text.\n`;
}

describe('memory comment', () => {
  it('round-trips through the issue body', () => {
    expect(readMemory(bodyWith(memoryComment(MEMORY)))).toEqual(MEMORY);
  });

  it('never contains a sequence that would end the HTML comment early', () => {
    const tricky: IncidentMemory = {
      ...MEMORY,
      requestIds: ['req--x', 'a---b', '-->', '<!-- x -->', '--!>'],
    };
    const comment = memoryComment(tricky);
    const inner = comment.slice('<!--'.length, -'-->'.length);
    expect(inner).not.toContain('--');
    expect(inner).not.toMatch(/[<>]/);
    expect(readMemory(bodyWith(comment))).toEqual(tricky);
  });

  it('reads as null when missing', () => {
    expect(readMemory(`${INCIDENT_MARKER}\nno memory here`)).toBeNull();
  });

  it('reads as null when the JSON is corrupt', () => {
    expect(readMemory(bodyWith('<!-- claude-incident-runbook:memory {"v":1,"openedAt": -->'))).toBeNull();
  });

  it('reads as null for another version or wrong field types', () => {
    const comment = (value: unknown): string =>
      `<!-- claude-incident-runbook:memory ${JSON.stringify(value)} -->`;
    expect(readMemory(bodyWith(comment({ ...MEMORY, v: 2 })))).toBeNull();
    expect(readMemory(bodyWith(comment({ ...MEMORY, severity: 'P0' })))).toBeNull();
    expect(readMemory(bodyWith(comment({ ...MEMORY, diagnosis: 'gremlins' })))).toBeNull();
    expect(readMemory(bodyWith(comment({ ...MEMORY, healthyStreak: -1 })))).toBeNull();
    expect(readMemory(bodyWith(comment({ ...MEMORY, requestIds: [1] })))).toBeNull();
    expect(readMemory(bodyWith(comment({ ...MEMORY, openedAt: 'yesterday' })))).toBeNull();
    expect(readMemory(bodyWith(comment([MEMORY])))).toBeNull();
    expect(readMemory(bodyWith(comment(null)))).toBeNull();
  });

  it('reads a memory without the optional recoveredAt and drops unknown fields', () => {
    const { recoveredAt: _r, ...withoutRecovery } = MEMORY;
    const stored = `<!-- claude-incident-runbook:memory ${JSON.stringify({ ...withoutRecovery, extra: 'x' })} -->`;
    expect(readMemory(bodyWith(stored))).toEqual(withoutRecovery);
  });
});

describe('writeMemory', () => {
  it('replaces the comment in place and keeps every other byte', () => {
    const body = `${INCIDENT_MARKER}\r\n${memoryComment(MEMORY)}\r\nafter $& $1\r\n`;
    const next: IncidentMemory = { ...MEMORY, healthyStreak: 2, requestIds: ['cost $& $1'] };
    const out = writeMemory(body, next);
    expect(out).toBe(`${INCIDENT_MARKER}\r\n${memoryComment(next)}\r\nafter $& $1\r\n`);
    expect(readMemory(out ?? '')).toEqual(next);
  });

  it('neither reads nor rewrites a memory comment people pasted elsewhere in the body', () => {
    const pasted = memoryComment({ ...MEMORY, openedAt: '2020-01-01T00:00:00.000Z' });
    const body = `${INCIDENT_MARKER}\n${memoryComment(MEMORY)}\nQuoted from an old issue:\n${pasted}\n`;
    expect(readMemory(body)).toEqual(MEMORY);
    const next: IncidentMemory = { ...MEMORY, healthyStreak: 1 };
    expect(writeMemory(body, next)).toBe(
      `${INCIDENT_MARKER}\n${memoryComment(next)}\nQuoted from an old issue:\n${pasted}\n`,
    );
    const pastedAbove = `${INCIDENT_MARKER}\nPeople wrote: ${pasted}\n`;
    expect(readMemory(pastedAbove)).toBeNull();
    expect(writeMemory(pastedAbove, next)).toBeNull();
  });

  it('returns null when the body has no memory comment', () => {
    expect(writeMemory('people deleted it', MEMORY)).toBeNull();
  });
});

describe('insertMemory', () => {
  it('writes the memory back on the line after the incident marker, in the body line ending', () => {
    const body = `${INCIDENT_MARKER}\r\nPeople's text.\r\n`;
    expect(insertMemory(body, MEMORY)).toBe(
      `${INCIDENT_MARKER}\r\n${memoryComment(MEMORY)}\r\nPeople's text.\r\n`,
    );
  });

  it('returns null when the incident marker is gone too', () => {
    expect(insertMemory("People's text.", MEMORY)).toBeNull();
  });
});

describe('memory comment: lifecycle fields', () => {
  const LIFECYCLE: IncidentMemory = {
    ...MEMORY,
    window: [
      {
        at: '2026-03-04T10:30:00.000Z',
        kind: 'healthy',
        severity: null,
        diagnosis: null,
        models: [{ model: 'claude-haiku-4-5', reached: 5, failed: 0 }],
      },
    ],
    unhealthyStreak: 0,
    lastCommentAt: '2026-03-04T10:15:00.000Z',
    closedAt: '2026-03-04T10:45:00.000Z',
    gaps: [{ from: '2026-03-04T10:15:00.000Z', to: '2026-03-04T10:30:00.000Z' }],
    reopenings: [{ closedAt: '2026-03-04T09:00:00.000Z', reopenedAt: '2026-03-04T09:20:00.000Z' }],
  };
  const comment = (value: unknown): string =>
    `<!-- claude-incident-runbook:memory ${JSON.stringify(value)} -->`;

  it('round-trips the window, counters, times, gaps and reopenings', () => {
    expect(readMemory(bodyWith(memoryComment(LIFECYCLE)))).toEqual(LIFECYCLE);
  });

  it('drops a malformed lifecycle field and keeps the rest of the memory', () => {
    const read = readMemory(
      bodyWith(comment({ ...LIFECYCLE, closedAt: 'later', unhealthyStreak: -2, gaps: 'none', window: {} })),
    );
    expect(read).not.toBeNull();
    expect(read?.closedAt).toBeUndefined();
    expect(read?.unhealthyStreak).toBeUndefined();
    expect(read?.gaps).toBeUndefined();
    expect(read?.window).toBeUndefined();
    expect(read?.reopenings).toEqual(LIFECYCLE.reopenings);
  });
});
