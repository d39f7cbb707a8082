import type { IncidentIssue } from '../incident/types.js';
import { INCIDENT_MARKER } from '../incident/markers.js';
import type { GitHubClient } from './client.js';

/** A GitHub failure explained: what happened and what the user should fix. */
export class GitHubError extends Error {
  override name = 'GitHubError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

type RawIssue = {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  labels: Array<string | { name?: string | null }>;
  html_url: string;
  locked?: boolean;
  created_at: string;
  pull_request?: unknown;
};

function toIncidentIssue(raw: RawIssue): IncidentIssue {
  return {
    number: raw.number,
    title: raw.title,
    body: raw.body ?? '',
    state: raw.state === 'closed' ? 'closed' : 'open',
    labels: raw.labels
      .map((label) => (typeof label === 'string' ? label : (label.name ?? '')))
      .filter(Boolean),
    htmlUrl: raw.html_url,
    locked: raw.locked ?? false,
    createdAt: raw.created_at,
  };
}

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : null;
}

/** Turns an Octokit error into a message that says what to fix. Never echoes request headers (the token). */
export function explainGitHubError(error: unknown, doing: string): GitHubError {
  const status = statusOf(error);
  const detail = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 300) : String(error);
  const hint = (() => {
    switch (status) {
      case 401:
        return 'the github-token was rejected: check the token input.';
      case 403:
        return /not accessible by integration/i.test(detail)
          ? 'the token lacks permission: add "permissions: issues: write" to the workflow job.'
          : /rate limit/i.test(detail)
            ? 'GitHub rate-limited the run past the retry budget: the next scheduled run will try again.'
            : 'GitHub refused the write (a locked issue, or missing issues: write permission).';
      case 404:
        return 'the repository or issue was not found: check the repository and github-api-url inputs, and that the token can see the repository.';
      case 410:
        return 'issues are disabled in this repository (Settings > General > Features > Issues), or the issue was deleted.';
      case 422:
        return 'GitHub rejected the content (validation failed).';
      case null:
        return 'GitHub could not be reached: check github-api-url and the runner network.';
      default:
        return status >= 500
          ? 'GitHub is failing right now (retried within the budget): the next run will try again.'
          : '';
    }
  })();
  return new GitHubError(
    `GitHub ${doing} failed${status ? ` (HTTP ${status})` : ''}: ${detail}. ${hint}`.trim(),
    status,
  );
}

export interface IncidentStore {
  /** Open issues carrying the first label and the hidden marker (pull requests skipped), oldest first. */
  findOpenIncidents(): Promise<IncidentIssue[]>;
  create(title: string, body: string, labels: string[]): Promise<IncidentIssue>;
  update(
    issueNumber: number,
    changes: {
      title?: string;
      body?: string;
      labels?: string[];
      state?: 'open' | 'closed';
      stateReason?: 'completed' | 'duplicate';
    },
  ): Promise<IncidentIssue>;
  comment(issueNumber: number, body: string): Promise<void>;
}

/** Page size for listing: the largest GitHub allows, so one request covers almost every repository. */
const PAGE_SIZE = 100;

/**
 * Every GitHub call the action makes, in one place. Incidents are found through the issues list endpoint,
 * never the search API (which lags behind new issues and misses HTML-comment markers on GHES).
 */
export function createIncidentStore(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  label: string,
): IncidentStore {
  const findOpenIncidents = async (): Promise<IncidentIssue[]> => {
    try {
      const raw = (await client.paginate(client.rest.issues.listForRepo, {
        ...repository,
        state: 'open',
        labels: label,
        sort: 'created',
        direction: 'asc',
        per_page: PAGE_SIZE,
      })) as RawIssue[];
      return raw
        .filter((issue) => issue.pull_request === undefined && (issue.body ?? '').includes(INCIDENT_MARKER))
        .map(toIncidentIssue)
        .sort((a, b) => a.number - b.number);
    } catch (error) {
      // A failed list is never "no incident exists": fail rather than open a duplicate.
      throw explainGitHubError(error, 'listing open incident issues');
    }
  };

  return {
    findOpenIncidents,

    async create(title, body, labels) {
      try {
        // No automatic retry on create: a create whose answer was lost may have succeeded.
        const { data } = await client.rest.issues.create({
          ...repository,
          title,
          body,
          labels,
          request: { retries: 0 },
        });
        return toIncidentIssue(data as RawIssue);
      } catch (error) {
        const status = statusOf(error);
        if (status !== null && status < 500) throw explainGitHubError(error, 'creating the incident issue');
        // The write may have happened: look before trying again, so a lost answer never makes a second issue.
        const existing = await findOpenIncidents();
        if (existing.length > 0) return existing[0]!;
        try {
          const { data } = await client.rest.issues.create({
            ...repository,
            title,
            body,
            labels,
            request: { retries: 0 },
          });
          return toIncidentIssue(data as RawIssue);
        } catch (retryError) {
          throw explainGitHubError(retryError, 'creating the incident issue');
        }
      }
    },

    async update(issueNumber, changes) {
      try {
        const { data } = await client.rest.issues.update({
          ...repository,
          issue_number: issueNumber,
          ...(changes.title !== undefined && { title: changes.title }),
          ...(changes.body !== undefined && { body: changes.body }),
          ...(changes.labels !== undefined && { labels: changes.labels }),
          ...(changes.state !== undefined && { state: changes.state }),
          ...(changes.stateReason !== undefined && { state_reason: changes.stateReason }),
        });
        return toIncidentIssue(data as RawIssue);
      } catch (error) {
        throw explainGitHubError(error, `updating issue #${issueNumber}`);
      }
    },

    async comment(issueNumber, body) {
      try {
        await client.rest.issues.createComment({ ...repository, issue_number: issueNumber, body });
      } catch (error) {
        throw explainGitHubError(error, `commenting on issue #${issueNumber}`);
      }
    },
  };
}
