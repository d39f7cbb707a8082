import type { IncidentIssue } from '../incident/types.js';
import { INCIDENT_MARKER } from '../incident/markers.js';
import type { GitHubClient } from './client.js';
import { explainGitHubError, GitHubError, statusOf } from './errors.js';

type RawIssue = {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  state_reason?: string | null;
  labels: Array<string | { name?: string | null }>;
  html_url: string;
  locked?: boolean;
  created_at: string;
  pull_request?: unknown;
  user?: { type?: string } | null;
  author_association?: string;
};

/**
 * Who may author an incident issue: a bot (github-actions[bot] with GITHUB_TOKEN, or an app), or someone
 * with a role in the repository (a PAT's owner is at least a collaborator). An outsider who gets the label
 * onto an issue (an issue form that applies it) and pastes the marker is not followed.
 */
const TRUSTED_ASSOCIATIONS: ReadonlySet<string> = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/** An issue of ours: not a pull request, carrying the marker, written by a bot or a repository member. */
function isIncidentIssue(issue: RawIssue): boolean {
  return (
    issue.pull_request === undefined &&
    (issue.body ?? '').includes(INCIDENT_MARKER) &&
    (issue.user?.type === 'Bot' || TRUSTED_ASSOCIATIONS.has(issue.author_association ?? ''))
  );
}

function toIncidentIssue(raw: RawIssue): IncidentIssue {
  return {
    number: raw.number,
    title: raw.title,
    body: raw.body ?? '',
    state: raw.state === 'closed' ? 'closed' : 'open',
    stateReason: raw.state_reason ?? null,
    labels: raw.labels
      .map((label) => (typeof label === 'string' ? label : (label.name ?? '')))
      .filter(Boolean),
    htmlUrl: raw.html_url,
    locked: raw.locked ?? false,
    createdAt: raw.created_at,
  };
}

/**
 * Statuses of a write to an issue that is no longer where it was: 301 transferred to another repository
 * (GitHub answers with the new location), 404 transferred somewhere the token cannot see, 410 deleted.
 * Retrying cannot help; the next unhealthy run opens a new issue.
 */
const GONE_STATUSES: ReadonlySet<number> = new Set([301, 404, 410]);

/** True when a write failed because the issue was deleted or transferred. */
export function isIssueGone(error: unknown): error is GitHubError {
  return error instanceof GitHubError && error.status !== null && GONE_STATUSES.has(error.status);
}

/** Why an issue is gone, for the log and the summary. */
export function goneExplanation(issueNumber: number, error: GitHubError): string {
  switch (error.status) {
    case 301:
      return `Issue #${issueNumber} was transferred to another repository (HTTP 301): the action does not follow it there.`;
    case 410:
      return `Issue #${issueNumber} was deleted (HTTP 410).`;
    default:
      return `Issue #${issueNumber} is no longer visible to this token (HTTP 404): it was transferred or deleted.`;
  }
}

/** What became of an issue the state file remembers as the open incident. */
export type IssueLookup = { kind: 'found'; issue: IncidentIssue } | { kind: 'gone'; explanation: string };

/** The most recently updated closed issues worth reading when looking for our last incident. */
const RECENTLY_CLOSED_PAGE = 10;

/** 3xx answers arrive as answers with `redirect: 'manual'`; a moved issue is an error, never followed. */
function refuseRedirect(status: number, issueNumber: number, doing: string): void {
  if (status >= 300 && status < 400) {
    throw new GitHubError(
      `GitHub ${doing} failed (HTTP ${status}): issue #${issueNumber} was moved to another repository.`,
      status,
    );
  }
}

/**
 * Writes to one issue never follow redirects: fetch would follow a 301 from a transferred issue and turn
 * a comment (POST) into a GET of the comments, which succeeds, so a comment that was never posted would
 * look posted. A PATCH would be replayed on the issue in its new repository.
 */
const NO_REDIRECT = { redirect: 'manual' } as const;

export interface IncidentStore {
  /** Open issues carrying the first label and the hidden marker (pull requests skipped), oldest first. */
  findOpenIncidents(): Promise<IncidentIssue[]>;
  /**
   * Our most recently closed incident issue (the first label, the marker, not closed as a duplicate), or
   * null. One page of the most recently updated: an older one cannot be recent enough to matter.
   */
  findRecentlyClosed(): Promise<IncidentIssue | null>;
  /** The issue, or why it is gone (deleted, transferred). */
  lookup(issueNumber: number): Promise<IssueLookup>;
  create(title: string, body: string, labels: string[]): Promise<IncidentIssue>;
  update(
    issueNumber: number,
    changes: {
      title?: string;
      body?: string;
      labels?: string[];
      state?: 'open' | 'closed';
      stateReason?: 'completed' | 'duplicate' | 'not_planned';
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
        .filter(isIncidentIssue)
        .map(toIncidentIssue)
        .sort((a, b) => a.number - b.number);
    } catch (error) {
      // A failed list is never "no incident exists": fail rather than open a duplicate.
      throw explainGitHubError(error, 'listing open incident issues');
    }
  };

  const findRecentlyClosed = async (): Promise<IncidentIssue | null> => {
    try {
      const { data } = await client.rest.issues.listForRepo({
        ...repository,
        state: 'closed',
        labels: label,
        sort: 'updated',
        direction: 'desc',
        per_page: RECENTLY_CLOSED_PAGE,
      });
      const ours = (data as RawIssue[]).filter(
        (issue) => isIncidentIssue(issue) && issue.state_reason !== 'duplicate',
      );
      return ours[0] === undefined ? null : toIncidentIssue(ours[0]);
    } catch (error) {
      // Same rule as the open list: a failed read is never "there is none" (it could open a duplicate).
      throw explainGitHubError(error, 'listing closed incident issues');
    }
  };

  const lookup = async (issueNumber: number): Promise<IssueLookup> => {
    try {
      const response = await client.rest.issues.get({
        ...repository,
        issue_number: issueNumber,
        request: NO_REDIRECT,
      });
      refuseRedirect(response.status, issueNumber, `reading issue #${issueNumber}`);
      return { kind: 'found', issue: toIncidentIssue(response.data as RawIssue) };
    } catch (error) {
      const explained = explainGitHubError(error, `reading issue #${issueNumber}`);
      if (isIssueGone(explained))
        return { kind: 'gone', explanation: goneExplanation(issueNumber, explained) };
      throw explained;
    }
  };

  return {
    findOpenIncidents,
    findRecentlyClosed,
    lookup,

    async create(title, body, labels) {
      // No automatic retry on create: a create whose answer was lost may have succeeded.
      const createOnce = async (): Promise<IncidentIssue> => {
        const { data } = await client.rest.issues.create({
          ...repository,
          title,
          body,
          labels,
          request: { retries: 0 },
        });
        return toIncidentIssue(data as RawIssue);
      };
      try {
        return await createOnce();
      } catch (error) {
        const status = statusOf(error);
        if (status !== null && status < 500) throw explainGitHubError(error, 'creating the incident issue');
        // The write may have happened: look before trying again, so a lost answer never makes a second issue.
        const existing = await findOpenIncidents();
        if (existing.length > 0) return existing[0]!;
        try {
          return await createOnce();
        } catch (retryError) {
          throw explainGitHubError(retryError, 'creating the incident issue');
        }
      }
    },

    async update(issueNumber, changes) {
      const doing = `updating issue #${issueNumber}`;
      let response;
      try {
        response = await client.rest.issues.update({
          ...repository,
          issue_number: issueNumber,
          ...(changes.title !== undefined && { title: changes.title }),
          ...(changes.body !== undefined && { body: changes.body }),
          ...(changes.labels !== undefined && { labels: changes.labels }),
          ...(changes.state !== undefined && { state: changes.state }),
          ...(changes.stateReason !== undefined && { state_reason: changes.stateReason }),
          request: NO_REDIRECT,
        });
      } catch (error) {
        throw explainGitHubError(error, doing);
      }
      refuseRedirect(response.status, issueNumber, doing);
      return toIncidentIssue(response.data as RawIssue);
    },

    async comment(issueNumber, body) {
      const doing = `commenting on issue #${issueNumber}`;
      let status: number;
      try {
        ({ status } = await client.rest.issues.createComment({
          ...repository,
          issue_number: issueNumber,
          body,
          request: NO_REDIRECT,
        }));
      } catch (error) {
        throw explainGitHubError(error, doing);
      }
      refuseRedirect(status, issueNumber, doing);
    },
  };
}
