/** Every input, parsed and validated once, up front. Defaults live in code, not only in action.yml. */
export interface Config {
  anthropicApiKey: string;
  githubToken: string;
  /** REST API root, e.g. https://api.github.com or https://ghe.example.com/api/v3 (no trailing slash). */
  githubApiUrl: string;
  /** owner/name of the repository that holds the incident issue. */
  repository: { owner: string; repo: string };
  models: string[];
  samples: number;
  /** No trailing slash. */
  anthropicBaseUrl: string;
  /** No trailing slash. */
  statusPageUrl: string;
  statusComponents: string[];
  latencyThresholdMs: number;
  errorRateThreshold: number;
  requestTimeoutMs: number;
  /** Max Messages requests in flight at once, across all models. */
  concurrency: number;
  recoveryRuns: number;
  labels: string[];
  dryRun: boolean;
  canaryPrompt: string;
  canaryExpect: RegExp;
  /** Link to this workflow run, for the Detection section; null outside Actions. */
  runUrl: string | null;
}
