import { describe, expect, it } from 'vitest';
import { startSimulator } from '../../sim/index.js';

describe('startSimulator', () => {
  it('starts the three services on loopback with one clock, and closes them all', async () => {
    const sim = await startSimulator({ now: () => new Date('2026-12-03T09:00:00Z') });
    try {
      const urls = [sim.anthropic.url, sim.statusPage.url, sim.github.url];
      for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(new Set(urls).size).toBe(3);
      const status = await fetch(`${sim.statusPage.url}/api/v2/status.json`);
      expect(status.status).toBe(200);
      const issue = sim.github.seedIssue({ title: 'Incident' });
      expect(issue.created_at).toBe('2026-12-03T09:00:00Z');
    } finally {
      await sim.close();
    }
    await expect(fetch(`${sim.github.url}/repos/acme/service/issues`)).rejects.toThrow();
  });
});
