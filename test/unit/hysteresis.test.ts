import { describe, expect, it } from 'vitest';
import type { ProbeSample } from '../../src/evidence.js';
import {
  KEPT_OBSERVATIONS,
  MIN_GAP_MS,
  closeGate,
  gapBefore,
  gapThresholdMs,
  gradeByWindow,
  newest,
  observationOf,
  openGate,
  record,
  validHistory,
} from '../../src/incident/hysteresis.js';
import type { History, Observation } from '../../src/incident/hysteresis.js';
import type { PlanConfig } from '../../src/incident/plan.js';
import type { Verdict } from '../../src/verdict/types.js';
import {
  CONFIG,
  HAIKU,
  evidenceOf,
  okSample,
  operationalPage,
  overloadedSample,
  realRateLimitHeaders,
  verdictOf,
} from './incident-fixtures.js';

/** The runbook's line between P3 and P2. */
const FIVE_PERCENT: PlanConfig = { ...CONFIG, errorRateThreshold: 0.05 };
const MINUTE = 60_000;
const T0 = Date.parse('2026-03-04T10:00:00.000Z');

function at(minutes: number): string {
  return new Date(T0 + minutes * MINUTE).toISOString();
}

/** A run of `total` requests of which the first `failed` answered 529. */
function run(minutes: number, total: number, failed: number): Verdict {
  const samples: ProbeSample[] = Array.from({ length: total }, (_, i) =>
    i < failed
      ? overloadedSample(HAIKU, i, at(minutes), `req_${minutes}_${i}`)
      : okSample(HAIKU, i, at(minutes)),
  );
  return verdictOf(evidenceOf(samples, operationalPage()), FIVE_PERCENT);
}

function observed(minutes: number, total: number, failed: number): Observation {
  return observationOf(run(minutes, total, failed), new Date(at(minutes)))!;
}

/** The history after recording the given runs, ten minutes apart, in order. */
function historyOf(runs: readonly [total: number, failed: number][]): History {
  let history: History | null = null;
  runs.forEach(([total, failed], i) => {
    history = record(history, observed(i * 10, total, failed));
  });
  return history!;
}

describe('grading a run by the window', () => {
  it('grades 1 failure in 5 after 25 good requests as P3: 3.3 % over the window, not 20 % over the run', () => {
    const before = historyOf([
      [5, 0],
      [5, 0],
      [5, 0],
      [5, 0],
      [5, 0],
    ]);
    const alone = run(50, 5, 1);
    expect(alone).toMatchObject({ severity: 'P2', diagnosis: 'overloaded' });
    const window = [...before.observations, observationOf(alone, new Date(at(50)))!];
    const graded = gradeByWindow(alone, window, 0.05);
    expect(graded).toMatchObject({ kind: 'unhealthy', severity: 'P3', diagnosis: 'overloaded' });
    expect(graded.models[0]).toMatchObject({ severity: 'P3', diagnosis: 'overloaded' });
    expect(graded.findings[0]!.reason).toBe(
      'claude-haiku-4-5: 1 of 5 requests failed (20%, at or above the 5% threshold): 529 overloaded_error ×1; ' +
        'over the last 6 runs 1 of 30 requests failed (3.3%, under the 5% threshold)',
    );
  });

  it('grades a run P2 when the window rate reaches the threshold, though the run alone is under it', () => {
    const before = historyOf([[25, 1]]);
    const alone = run(10, 25, 1);
    expect(alone.severity).toBe('P3');
    const graded = gradeByWindow(
      alone,
      [...before.observations, observationOf(alone, new Date(at(10)))!],
      0.03,
    );
    expect(graded.severity).toBe('P2');
  });

  it('leaves a window of this run alone, P1 outages and 429s as the classifier graded them', () => {
    const alone = run(0, 5, 1);
    expect(gradeByWindow(alone, [observationOf(alone, new Date(at(0)))!], 0.05)).toBe(alone);

    const good = historyOf([
      [5, 0],
      [5, 0],
    ]);
    const outage = run(20, 5, 5);
    const outageWindow = [...good.observations, observationOf(outage, new Date(at(20)))!];
    expect(gradeByWindow(outage, outageWindow, 0.05)).toMatchObject({
      severity: 'P1',
      diagnosis: 'overloaded',
    });

    const limited: ProbeSample = {
      ...overloadedSample(HAIKU, 0, at(20), 'req_429'),
      httpStatus: 429,
      errorType: 'rate_limit_error',
      rateLimit: realRateLimitHeaders(),
    };
    const rateLimited = verdictOf(
      evidenceOf([limited, ...[1, 2, 3, 4].map((i) => okSample(HAIKU, i, at(20)))]),
      FIVE_PERCENT,
    );
    const limitedWindow = [...good.observations, observationOf(rateLimited, new Date(at(20)))!];
    expect(gradeByWindow(rateLimited, limitedWindow, 0.05)).toMatchObject({
      severity: 'P2',
      diagnosis: 'rate_limited',
    });
  });
});

describe('recording observations', () => {
  it('counts consecutive healthy and unhealthy observations', () => {
    const history = historyOf([
      [5, 5],
      [5, 5],
      [5, 0],
    ]);
    expect(history).toMatchObject({ healthyStreak: 1, unhealthyStreak: 0, updatedAt: at(20) });
    const again = record(history, observed(30, 5, 1));
    expect(again).toMatchObject({ healthyStreak: 0, unhealthyStreak: 1 });
  });

  it(`keeps at most ${KEPT_OBSERVATIONS} observations and none older than a day`, () => {
    const many = historyOf(Array.from({ length: 30 }, () => [5, 0] as [number, number]));
    expect(many.observations).toHaveLength(KEPT_OBSERVATIONS);
    expect(many.observations[0]!.at).toBe(at(60));
    expect(many.healthyStreak).toBe(30);

    const dayLater = record(many, observed(24 * 60 + 289, 5, 0));
    expect(dayLater.observations.map((o) => o.at)).toEqual([at(290), at(24 * 60 + 289)]);
  });

  it('prefers the newer of two copies, and the first on a tie', () => {
    const older = historyOf([[5, 0]]);
    const newer = historyOf([
      [5, 0],
      [5, 1],
    ]);
    expect(newest([older, newer, null])).toBe(newer);
    const twin = { ...older };
    expect(newest([older, twin])).toBe(older);
    expect(newest([null, null])).toBeNull();
  });
});

describe('opening', () => {
  const oneBad = historyOf([
    [5, 0],
    [5, 1],
  ]);
  const twoBad = historyOf([
    [5, 1],
    [5, 1],
  ]);

  it('opens P1 and P2 at once', () => {
    expect(openGate(oneBad, 'P1', 2, true)).toEqual({ open: true, have: 1, needed: 1 });
    expect(openGate(oneBad, 'P2', 2, true).open).toBe(true);
  });

  it('waits for open-runs consecutive unhealthy observations before opening a P3 or P4', () => {
    expect(openGate(oneBad, 'P3', 2, true)).toEqual({ open: false, have: 1, needed: 2 });
    expect(openGate(twoBad, 'P3', 2, true)).toEqual({ open: true, have: 2, needed: 2 });
    expect(openGate(twoBad, 'P4', 3, true)).toEqual({ open: false, have: 2, needed: 3 });
  });

  it('opens at once when nothing can remember the count until the next run', () => {
    expect(openGate(oneBad, 'P3', 2, false)).toEqual({ open: true, have: 1, needed: 1 });
  });
});

describe('closing', () => {
  it('closes a total outage after exactly recovery-runs healthy observations', () => {
    const oneGood = historyOf([
      [5, 5],
      [5, 5],
      [5, 0],
    ]);
    expect(closeGate(oneGood, 2, 0.05)).toMatchObject({ close: false, streak: 1, lookback: 2 });
    expect(closeGate(oneGood, 2, 0.05).worst).toMatchObject({
      model: HAIKU,
      failed: 5,
      reached: 10,
      rate: 0.5,
    });
    const twoGood = record(oneGood, observed(30, 5, 0));
    expect(closeGate(twoGood, 2, 0.05)).toMatchObject({ close: true, streak: 2, lookback: 2 });
  });

  it('with recovery-runs 1 still looks one run back, so one lucky run after a failing one does not close', () => {
    const history = historyOf([
      [5, 5],
      [5, 0],
    ]);
    expect(closeGate(history, 1, 0.05)).toMatchObject({ close: false, streak: 1, lookback: 2 });
    expect(closeGate(record(history, observed(20, 5, 0)), 1, 0.05).close).toBe(true);
  });

  it('never closes an incident that fails every other run, whatever recovery-runs is', () => {
    let history: History | null = null;
    for (let i = 0; i < 12; i++) {
      history = record(history, observed(i * 10, 5, i % 2 === 0 ? 3 : 0));
      expect(closeGate(history, 1, 0.05).close).toBe(false);
      expect(closeGate(history, 2, 0.05).close).toBe(false);
    }
  });

  it('closes an incident measured under the threshold after recovery-runs healthy runs', () => {
    const history = historyOf([
      [25, 1],
      [25, 0],
      [25, 0],
    ]);
    expect(closeGate(history, 2, 0.05)).toMatchObject({ close: true, streak: 2 });
  });
});

describe('gaps in monitoring', () => {
  it('is three typical intervals, and never under 30 minutes', () => {
    const tenMinutes = historyOf([
      [5, 0],
      [5, 0],
      [5, 0],
    ]);
    expect(gapThresholdMs(tenMinutes.observations)).toBe(MIN_GAP_MS);
    const hourly = [0, 60, 120, 180].map((m) => observed(m, 5, 0));
    expect(gapThresholdMs(hourly)).toBe(3 * 60 * MINUTE);
    expect(gapThresholdMs([])).toBe(MIN_GAP_MS);
  });

  it('reports the gap from the last observation to now when it is longer than that', () => {
    const history = historyOf([
      [5, 5],
      [5, 5],
    ]);
    expect(gapBefore(history, new Date(at(40)))).toBeNull();
    expect(gapBefore(history, new Date(at(41)))).toEqual({ from: at(10), to: at(41) });
    expect(gapBefore(null, new Date(at(500)))).toBeNull();
  });
});

describe('reading a stored history', () => {
  it('round-trips through JSON', () => {
    const history = historyOf([
      [5, 1],
      [5, 0],
    ]);
    expect(validHistory(JSON.parse(JSON.stringify(history)))).toEqual(history);
  });

  it('rejects a malformed history and drops malformed observations', () => {
    const history = historyOf([[5, 1]]);
    expect(validHistory({ ...history, healthyStreak: -1 })).toBeNull();
    expect(validHistory({ ...history, updatedAt: 'soon' })).toBeNull();
    expect(validHistory({ ...history, observations: 'none' })).toBeNull();
    const mixed = {
      ...history,
      observations: [
        ...history.observations,
        { at: at(5), kind: 'healthy', severity: 'P9', diagnosis: null, models: [] },
        {
          at: at(6),
          kind: 'healthy',
          severity: null,
          diagnosis: null,
          models: [{ model: HAIKU, reached: 1, failed: 2 }],
        },
      ],
    };
    expect(validHistory(mixed)?.observations).toEqual(history.observations);
  });
});
