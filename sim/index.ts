/**
 * The whole outside world on loopback: the Anthropic API, the Claude status page and GitHub's issues API.
 * Used by tests and `npm run demo`; never bundled into dist.
 */
import { startAnthropicSim, type AnthropicSim } from './anthropic.js';
import { startGitHubSim, type GitHubSim, type GitHubSimOptions } from './github.js';
import { startStatusPageSim, type StatusPageSim } from './statuspage.js';

export * from './anthropic.js';
export * from './github.js';
export * from './statuspage.js';

export interface Simulator {
  anthropic: AnthropicSim;
  statusPage: StatusPageSim;
  github: GitHubSim;
  close(): Promise<void>;
}

export interface SimulatorOptions {
  /** Clock shared by the simulators (Date headers, issue timestamps). */
  now?: () => Date;
  github?: Omit<GitHubSimOptions, 'now'>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const [anthropic, statusPage, github] = await Promise.all([
    startAnthropicSim({ now: options.now }),
    startStatusPageSim(),
    startGitHubSim({ ...options.github, now: options.now }),
  ]);
  return {
    anthropic,
    statusPage,
    github,
    async close() {
      await Promise.all([anthropic.close(), statusPage.close(), github.close()]);
    },
  };
}
