/**
 * A loopback stand-in for GitHub's REST issues API, in memory, answering in GitHub's real shapes
 * (the OpenAPI `issue`, `issue-comment`, `label` and error schemas), with GitHub's real quirks:
 * pull requests in the issue list, Link pagination through /repositories/{id}, labels replaced by PATCH,
 * 65,536-character bodies, locked issues, read-only tokens, deleted and transferred issues.
 * Tests act like people through the helpers (editBody, closeIssue...) and inject faults with failNext.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { isRecord, listenOnLoopback, parseJson, readBody } from './loopback.js';

export interface GitHubSimOptions {
  owner?: string;
  repo?: string;
  token?: string;
  now?: () => Date;
}

export type Permission = 'read' | 'write';

export interface GitHubFault {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Tested against the request's pathname (no query string), e.g. /\/issues$/. */
  path: RegExp;
  /** Status to answer with, or 'drop' to destroy the connection without any answer. */
  status: number | 'drop';
  /** JSON body (strings are sent verbatim); defaults to GitHub's basic error for the status. */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Perform the write first, then lose its answer: a write that succeeded although the client saw a failure. */
  applyWrite?: boolean;
}

export interface GitHubRequestRecord {
  method: string;
  /** Path with query string. */
  path: string;
  /** Status answered, or null when the connection was dropped. */
  status: number | null;
  /** Parsed JSON body of the request (undefined when none). */
  body: unknown;
}

export interface IssueSeed {
  title: string;
  body?: string | null;
  labels?: string[];
  state?: 'open' | 'closed';
  stateReason?: StateReason | null;
  /** Login of the author; defaults to a person (not the token's bot). */
  user?: string;
  /** The author's relation to the repository; people default to MEMBER. An outsider is e.g. NONE. */
  authorAssociation?: string;
  locked?: boolean;
  createdAt?: string;
  updatedAt?: string;
  /** Bodies of comments people already wrote. */
  comments?: string[];
}

export interface GitHubSim {
  /** REST root, like https://api.github.com (the action's `github-api-url`). */
  url: string;
  owner: string;
  repo: string;
  token: string;
  /** Log of every request: method, path, status. */
  requests: GitHubRequestRecord[];
  /** 'read' makes every write answer 403 "Resource not accessible by integration". */
  setPermissions(permission: Permission): void;
  /** Disabled issues answer 410 "Issues are disabled for this repo". */
  setIssuesEnabled(enabled: boolean): void;
  failNext(fault: GitHubFault): void;
  /** Every issue and pull request of the repository (deleted and transferred ones excluded), by number. */
  issues(): IssueJson[];
  issue(number: number): IssueJson | undefined;
  comments(number: number): CommentJson[];
  labels(): LabelJson[];
  seedIssue(seed: IssueSeed): IssueJson;
  seedPullRequest(seed: IssueSeed): IssueJson;
  /** A person rewrites the body (updated_at moves). */
  editBody(number: number, body: string): void;
  /** A person closes the issue. */
  closeIssue(number: number, reason?: StateReason, by?: string): void;
  lock(number: number, reason?: LockReason): void;
  deleteIssue(number: number): void;
  /** Moves the issue to another repository; its old URL answers 301. Returns where it went. */
  transferIssue(
    number: number,
    to?: { owner: string; repo: string },
  ): { owner: string; repo: string; number: number };
  close(): Promise<void>;
}

export type StateReason = 'completed' | 'not_planned' | 'reopened' | 'duplicate';
export type LockReason = 'off-topic' | 'too heated' | 'resolved' | 'spam';

/** GitHub's `simple-user`; the typed fields are the ones tests read. */
export type SimpleUserJson = Record<string, unknown> & { login: string; id: number; type: string };
/** GitHub's `issue` (pull requests carry `pull_request`); the typed fields are the ones tests read. */
export type IssueJson = Record<string, unknown> & {
  id: number;
  number: number;
  html_url: string;
  title: string;
  body: string | null;
  user: SimpleUserJson | null;
  state: 'open' | 'closed';
  state_reason: StateReason | null;
  labels: LabelJson[];
  locked: boolean;
  active_lock_reason: string | null;
  comments: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  pull_request?: Record<string, unknown>;
};
/** GitHub's `issue-comment`. */
export type CommentJson = Record<string, unknown> & {
  id: number;
  html_url: string;
  body: string;
  user: SimpleUserJson | null;
  created_at: string;
  updated_at: string;
};
export type LabelJson = {
  id: number;
  node_id: string;
  url: string;
  name: string;
  color: string;
  default: boolean;
  description: string | null;
};

/** GitHub refuses issue and comment bodies longer than this (FIELD-NOTES). */
export const GITHUB_BODY_LIMIT = 65_536;
/** GitHub refuses longer issue titles. */
const GITHUB_TITLE_LIMIT = 256;
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;
/** Color GitHub gives a label created on the fly by an issue write. */
const AUTO_LABEL_COLOR = 'ededed';
/** A core rate limit like an installation token's; x-ratelimit-* headers count down from it. */
const RATE_LIMIT = 5_000;
const HTML_ROOT = 'https://github.com';
const DOCS = 'https://docs.github.com/rest';

/** The identity behind GITHUB_TOKEN: real public facts about the github-actions bot. */
const TOKEN_USER = 'github-actions[bot]';
const KNOWN_USERS: Record<string, { id: number; nodeId: string; type: 'Bot' | 'User' }> = {
  [TOKEN_USER]: { id: 41898282, nodeId: 'MDM6Qm90NDE4OTgyODI=', type: 'Bot' },
};
const DEFAULT_PERSON = 'oncall-person';

const DOC = {
  list: `${DOCS}/issues/issues#list-repository-issues`,
  create: `${DOCS}/issues/issues#create-an-issue`,
  get: `${DOCS}/issues/issues#get-an-issue`,
  update: `${DOCS}/issues/issues#update-an-issue`,
  listComments: `${DOCS}/issues/comments#list-issue-comments`,
  createComment: `${DOCS}/issues/comments#create-an-issue-comment`,
  addLabels: `${DOCS}/issues/labels#add-labels-to-an-issue`,
  setLabels: `${DOCS}/issues/labels#set-labels-for-an-issue`,
  removeLabel: `${DOCS}/issues/labels#remove-a-label-from-an-issue`,
  removeAllLabels: `${DOCS}/issues/labels#remove-all-labels-from-an-issue`,
  listLabels: `${DOCS}/issues/labels#list-labels-for-a-repository`,
  createLabel: `${DOCS}/issues/labels#create-a-label`,
  lock: `${DOCS}/issues/issues#lock-an-issue`,
  unlock: `${DOCS}/issues/issues#unlock-an-issue`,
  locking: 'https://docs.github.com/articles/locking-conversations/',
  redirects: `${DOCS}/guides/best-practices-for-using-the-rest-api#follow-redirects`,
} as const;

interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

interface CommentRecord {
  id: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: StateReason | null;
  /** Lower-cased label names, in the order they were applied. */
  labels: string[];
  assignees: string[];
  locked: boolean;
  activeLockReason: LockReason | null;
  comments: CommentRecord[];
  user: string;
  /** Set for seeded issues whose author is not a member (see IssueSeed). */
  authorAssociation?: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  pullRequest: boolean;
  deleted: boolean;
  transferredTo: { repoId: number; number: number } | null;
}

interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  issues: Map<number, IssueRecord>;
  labels: Map<string, LabelRecord>;
  nextNumber: number;
  issuesEnabled: boolean;
}

interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** undefined: no body (204). */
  body?: unknown;
}

interface Call {
  method: string;
  url: URL;
  body: unknown;
  repo: RepoRecord;
  /** Path segments after /repos/{o}/{r} or /repositories/{id}. */
  rest: string[];
}

class GitHubError extends Error {
  constructor(readonly response: SimResponse) {
    super(String(response.status));
  }
}

export async function startGitHubSim(options: GitHubSimOptions = {}): Promise<GitHubSim> {
  const owner = options.owner ?? 'acme';
  const repoName = options.repo ?? 'service';
  const token = options.token ?? 'ghs_simulatedtoken0000000000000000000';
  const now = options.now ?? (() => new Date());
  const state = new GitHubState(now);
  const mainRepo = state.addRepo(owner, repoName);
  const requests: GitHubRequestRecord[] = [];
  const faults: (GitHubFault & { remaining: number })[] = [];
  let permission: Permission = 'write';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://loopback');
    const text = await readBody(req);
    const body = text === '' ? undefined : parseJson(text);
    const record: GitHubRequestRecord = { method, path: url.pathname + url.search, status: null, body };
    requests.push(record);

    const fault = takeFault(faults, method, url.pathname);
    if (fault && !fault.applyWrite) {
      record.status = sendFault(res, fault, state.requestCount());
      return;
    }
    let response: SimResponse;
    try {
      if (text !== '' && body === undefined) throw new GitHubError(problemsParsingJson());
      response = route(state, { method, url, body, token, auth: req.headers.authorization, permission });
    } catch (error) {
      if (!(error instanceof GitHubError)) throw error;
      response = error.response;
    }
    if (fault) {
      record.status = sendFault(res, fault, state.requestCount());
      return;
    }
    record.status = response.status;
    send(res, response, state.nextRateLimit());
  };

  const started = await listenOnLoopback(handle);
  state.apiRoot = started.url;

  const existing = (number: number): IssueRecord => {
    const issue = mainRepo.issues.get(number);
    if (!issue || issue.deleted || issue.transferredTo)
      throw new Error(`no issue #${number} in ${owner}/${repoName}`);
    return issue;
  };
  const visible = (issue: IssueRecord) => !issue.deleted && !issue.transferredTo;

  return {
    url: started.url,
    owner,
    repo: repoName,
    token,
    requests,
    setPermissions(next) {
      permission = next;
    },
    setIssuesEnabled(enabled) {
      mainRepo.issuesEnabled = enabled;
    },
    failNext(fault) {
      faults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    issues: () =>
      [...mainRepo.issues.values()]
        .filter(visible)
        .sort((a, b) => a.number - b.number)
        .map((issue) => state.issueJson(mainRepo, issue)),
    issue(number) {
      const issue = mainRepo.issues.get(number);
      return issue && visible(issue) ? state.issueJson(mainRepo, issue) : undefined;
    },
    comments: (number) =>
      existing(number).comments.map((c) => state.commentJson(mainRepo, existing(number), c)),
    labels: () => [...mainRepo.labels.values()].map((label) => state.labelJson(mainRepo, label)),
    seedIssue: (seed) => state.issueJson(mainRepo, state.seed(mainRepo, seed, false)),
    seedPullRequest: (seed) => state.issueJson(mainRepo, state.seed(mainRepo, seed, true)),
    editBody(number, body) {
      const issue = existing(number);
      issue.body = body;
      issue.updatedAt = state.timestamp();
    },
    closeIssue(number, reason = 'completed', by = DEFAULT_PERSON) {
      state.setState(existing(number), 'closed', reason, by);
    },
    lock(number, reason = 'resolved') {
      const issue = existing(number);
      issue.locked = true;
      issue.activeLockReason = reason;
      issue.updatedAt = state.timestamp();
    },
    deleteIssue(number) {
      existing(number).deleted = true;
    },
    transferIssue(number, to = { owner, repo: `${repoName}-archive` }) {
      const issue = existing(number);
      const target = state.repoByName(to.owner, to.repo) ?? state.addRepo(to.owner, to.repo);
      const moved: IssueRecord = {
        ...issue,
        id: state.nextId(),
        number: target.nextNumber++,
        comments: [...issue.comments],
      };
      for (const name of moved.labels) state.ensureLabel(target, mainRepo.labels.get(name)?.name ?? name);
      target.issues.set(moved.number, moved);
      issue.transferredTo = { repoId: target.id, number: moved.number };
      return { owner: target.owner, repo: target.name, number: moved.number };
    },
    close: () => started.close(),
  };
}

/** Everything the simulated GitHub remembers, plus the JSON renderings of it. */
class GitHubState {
  apiRoot = '';
  private readonly repos = new Map<number, RepoRecord>();
  private ids = 3_000_000_000;
  private served = 0;

  constructor(private readonly now: () => Date) {}

  timestamp(): string {
    return this.now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  nextId(): number {
    this.ids += 1;
    return this.ids;
  }

  requestCount(): number {
    return this.served;
  }

  nextRateLimit(): { used: number; reset: number } {
    this.served += 1;
    return { used: this.served, reset: Math.floor(this.now().getTime() / 1000) + 3600 };
  }

  addRepo(owner: string, name: string): RepoRecord {
    const repo: RepoRecord = {
      id: 700_000_001 + this.repos.size,
      owner,
      name,
      issues: new Map(),
      labels: new Map(),
      nextNumber: 1,
      issuesEnabled: true,
    };
    this.repos.set(repo.id, repo);
    return repo;
  }

  repoByName(owner: string, name: string): RepoRecord | undefined {
    // GitHub matches owner and repository names case-insensitively.
    return [...this.repos.values()].find(
      (r) => r.owner.toLowerCase() === owner.toLowerCase() && r.name.toLowerCase() === name.toLowerCase(),
    );
  }

  repoById(id: number): RepoRecord | undefined {
    return this.repos.get(id);
  }

  ensureLabel(repo: RepoRecord, name: string): LabelRecord {
    const key = name.toLowerCase();
    let label = repo.labels.get(key);
    if (!label) {
      label = { id: this.nextId(), name, color: AUTO_LABEL_COLOR, description: null };
      repo.labels.set(key, label);
    }
    return label;
  }

  seed(repo: RepoRecord, seed: IssueSeed, pullRequest: boolean): IssueRecord {
    const createdAt = seed.createdAt ?? this.timestamp();
    const user = seed.user ?? DEFAULT_PERSON;
    const issue = this.newIssue(repo, {
      title: seed.title,
      body: seed.body ?? null,
      user,
      pullRequest,
      createdAt,
    });
    issue.labels = uniqueLabels(repo, seed.labels ?? [], this);
    if (seed.authorAssociation !== undefined) issue.authorAssociation = seed.authorAssociation;
    issue.locked = seed.locked ?? false;
    issue.activeLockReason = issue.locked ? 'resolved' : null;
    issue.comments = (seed.comments ?? []).map((body) => ({
      id: this.nextId(),
      body,
      user,
      createdAt,
      updatedAt: createdAt,
    }));
    if (seed.state === 'closed') {
      issue.state = 'closed';
      issue.stateReason = seed.stateReason ?? 'completed';
      issue.closedAt = seed.updatedAt ?? createdAt;
      issue.closedBy = user;
    }
    issue.updatedAt = seed.updatedAt ?? createdAt;
    return issue;
  }

  newIssue(
    repo: RepoRecord,
    init: { title: string; body: string | null; user: string; pullRequest: boolean; createdAt?: string },
  ): IssueRecord {
    const at = init.createdAt ?? this.timestamp();
    const issue: IssueRecord = {
      id: this.nextId(),
      number: repo.nextNumber++,
      title: init.title,
      body: init.body,
      state: 'open',
      stateReason: null,
      labels: [],
      assignees: [],
      locked: false,
      activeLockReason: null,
      comments: [],
      user: init.user,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      closedBy: null,
      pullRequest: init.pullRequest,
      deleted: false,
      transferredTo: null,
    };
    repo.issues.set(issue.number, issue);
    return issue;
  }

  setState(issue: IssueRecord, state: 'open' | 'closed', reason: StateReason | null, by: string): void {
    const at = this.timestamp();
    if (state === 'closed') {
      if (issue.state === 'open') {
        issue.closedAt = at;
        issue.closedBy = by;
      }
      issue.state = 'closed';
      issue.stateReason = reason ?? issue.stateReason ?? 'completed';
    } else {
      if (issue.state === 'closed') issue.stateReason = 'reopened';
      if (reason) issue.stateReason = reason;
      issue.state = 'open';
      issue.closedAt = null;
      issue.closedBy = null;
    }
    issue.updatedAt = at;
  }

  userJson(login: string): SimpleUserJson {
    const known = KNOWN_USERS[login] ?? personIdentity(login);
    const path = `${this.apiRoot}/users/${encodeURIComponent(login)}`;
    const isBot = known.type === 'Bot';
    return {
      login,
      id: known.id,
      node_id: known.nodeId,
      avatar_url: isBot
        ? 'https://avatars.githubusercontent.com/in/15368?v=4'
        : `https://avatars.githubusercontent.com/u/${known.id}?v=4`,
      gravatar_id: '',
      url: path,
      html_url: isBot ? `${HTML_ROOT}/apps/github-actions` : `${HTML_ROOT}/${login}`,
      followers_url: `${path}/followers`,
      following_url: `${path}/following{/other_user}`,
      gists_url: `${path}/gists{/gist_id}`,
      starred_url: `${path}/starred{/owner}{/repo}`,
      subscriptions_url: `${path}/subscriptions`,
      organizations_url: `${path}/orgs`,
      repos_url: `${path}/repos`,
      events_url: `${path}/events{/privacy}`,
      received_events_url: `${path}/received_events`,
      type: known.type,
      user_view_type: 'public',
      site_admin: false,
    };
  }

  labelJson(repo: RepoRecord, label: LabelRecord): LabelJson {
    return {
      id: label.id,
      node_id: nodeId('Label', label.id),
      url: `${this.repoUrl(repo)}/labels/${encodeURIComponent(label.name)}`,
      name: label.name,
      color: label.color,
      default: false,
      description: label.description,
    };
  }

  repoUrl(repo: RepoRecord): string {
    return `${this.apiRoot}/repos/${repo.owner}/${repo.name}`;
  }

  issueJson(repo: RepoRecord, issue: IssueRecord): IssueJson {
    const url = `${this.repoUrl(repo)}/issues/${issue.number}`;
    const htmlRepo = `${HTML_ROOT}/${repo.owner}/${repo.name}`;
    const json: IssueJson = {
      url,
      repository_url: this.repoUrl(repo),
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `${htmlRepo}/${issue.pullRequest ? 'pull' : 'issues'}/${issue.number}`,
      id: issue.id,
      node_id: nodeId(issue.pullRequest ? 'PullRequest' : 'Issue', issue.id),
      number: issue.number,
      title: issue.title,
      user: this.userJson(issue.user),
      labels: issue.labels.flatMap((name) => {
        const label = repo.labels.get(name);
        return label ? [this.labelJson(repo, label)] : [];
      }),
      state: issue.state,
      locked: issue.locked,
      assignee: issue.assignees[0] === undefined ? null : this.userJson(issue.assignees[0]),
      assignees: issue.assignees.map((login) => this.userJson(login)),
      milestone: null,
      comments: issue.comments.length,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      author_association: issue.authorAssociation ?? (issue.user === TOKEN_USER ? 'NONE' : 'MEMBER'),
      type: null,
      active_lock_reason: issue.activeLockReason,
      sub_issues_summary: { total: 0, completed: 0, percent_completed: 0 },
      issue_dependencies_summary: { blocked_by: 0, total_blocked_by: 0, blocking: 0, total_blocking: 0 },
      body: issue.body,
      closed_by: issue.closedBy === null ? null : this.userJson(issue.closedBy),
      reactions: reactions(`${url}/reactions`),
      timeline_url: `${url}/timeline`,
      performed_via_github_app: null,
      state_reason: issue.stateReason,
    };
    if (issue.pullRequest) {
      json['draft'] = false;
      json['pull_request'] = {
        url: `${this.repoUrl(repo)}/pulls/${issue.number}`,
        html_url: `${htmlRepo}/pull/${issue.number}`,
        diff_url: `${htmlRepo}/pull/${issue.number}.diff`,
        patch_url: `${htmlRepo}/pull/${issue.number}.patch`,
        merged_at: null,
      };
    }
    return json;
  }

  commentJson(repo: RepoRecord, issue: IssueRecord, comment: CommentRecord): CommentJson {
    const url = `${this.repoUrl(repo)}/issues/comments/${comment.id}`;
    return {
      url,
      html_url: `${HTML_ROOT}/${repo.owner}/${repo.name}/issues/${issue.number}#issuecomment-${comment.id}`,
      issue_url: `${this.repoUrl(repo)}/issues/${issue.number}`,
      id: comment.id,
      node_id: nodeId('IssueComment', comment.id),
      user: this.userJson(comment.user),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: comment.user === TOKEN_USER ? 'NONE' : 'MEMBER',
      body: comment.body,
      reactions: reactions(`${url}/reactions`),
      performed_via_github_app: null,
    };
  }
}

function personIdentity(login: string): { id: number; nodeId: string; type: 'User' } {
  // A stable made-up id per login, so the same person always looks the same.
  let hash = 0;
  for (const char of login) hash = (hash * 31 + char.charCodeAt(0)) % 90_000_000;
  const id = 10_000_000 + hash;
  return { id, nodeId: nodeId('User', id), type: 'User' };
}

/** GitHub's legacy global node id: base64 of "<length of type>:<Type><id>". */
function nodeId(type: string, id: number): string {
  return Buffer.from(`${String(type.length).padStart(2, '0')}:${type}${id}`).toString('base64');
}

function reactions(url: string): Record<string, unknown> {
  return {
    url,
    total_count: 0,
    '+1': 0,
    '-1': 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
}

function uniqueLabels(repo: RepoRecord, names: string[], state: GitHubState): string[] {
  const keys: string[] = [];
  for (const name of names) {
    const key = state.ensureLabel(repo, name).name.toLowerCase();
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------------
// Routing

interface RouteContext {
  method: string;
  url: URL;
  body: unknown;
  token: string;
  auth: string | undefined;
  permission: Permission;
}

function route(state: GitHubState, ctx: RouteContext): SimResponse {
  if (!authorised(ctx.auth, ctx.token)) throw new GitHubError(basicError(401, 'Bad credentials', DOCS));
  const segments = ctx.url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const located = locateRepo(state, segments);
  if (!located) throw new GitHubError(basicError(404, 'Not Found', DOCS));
  const call: Call = {
    method: ctx.method,
    url: ctx.url,
    body: ctx.body,
    repo: located.repo,
    rest: located.rest,
  };
  const isWrite = ctx.method !== 'GET' && ctx.method !== 'HEAD';

  const [resource, numberText, sub, subName, ...extra] = call.rest;
  if (extra.length > 0) throw new GitHubError(basicError(404, 'Not Found', DOCS));

  if (resource === 'labels' && numberText === undefined) {
    if (isWrite && ctx.permission === 'read') throw new GitHubError(notAccessible(DOC.createLabel));
    if (ctx.method === 'GET') return listRepoLabels(state, call);
    if (ctx.method === 'POST') return createRepoLabel(state, call);
    throw new GitHubError(basicError(404, 'Not Found', DOCS));
  }
  if (resource !== 'issues') throw new GitHubError(basicError(404, 'Not Found', DOCS));
  if (!call.repo.issuesEnabled)
    throw new GitHubError(basicError(410, 'Issues are disabled for this repo', DOC.get));

  if (numberText === undefined) {
    if (ctx.method === 'GET') return listIssues(state, call);
    if (ctx.method === 'POST') {
      if (ctx.permission === 'read') throw new GitHubError(notAccessible(DOC.create));
      return createIssue(state, call);
    }
    throw new GitHubError(basicError(404, 'Not Found', DOCS));
  }

  const number = Number(numberText);
  if (!Number.isInteger(number) || number < 1) throw new GitHubError(basicError(404, 'Not Found', DOCS));
  const doc = docFor(ctx.method, sub, subName);
  if (isWrite && ctx.permission === 'read') throw new GitHubError(notAccessible(doc));
  const issue = findIssue(
    state,
    call.repo,
    number,
    doc,
    sub === undefined ? '' : `/${[sub, subName].filter(Boolean).join('/')}`,
  );

  switch (`${ctx.method} ${sub ?? ''}${subName === undefined ? '' : '/*'}`) {
    case 'GET ':
      return { status: 200, body: state.issueJson(call.repo, issue) };
    case 'PATCH ':
      return updateIssue(state, call, issue);
    case 'GET comments':
      return listComments(state, call, issue);
    case 'POST comments':
      return createComment(state, call, issue);
    case 'GET labels':
      return { status: 200, body: issueLabels(state, call.repo, issue) };
    case 'POST labels':
      return addLabels(state, call, issue, false);
    case 'PUT labels':
      return addLabels(state, call, issue, true);
    case 'DELETE labels':
      issue.labels = [];
      issue.updatedAt = state.timestamp();
      return { status: 204 };
    case 'DELETE labels/*':
      return removeLabel(state, call, issue, subName ?? '');
    case 'PUT lock':
      return lockIssue(state, call, issue);
    case 'DELETE lock':
      issue.locked = false;
      issue.activeLockReason = null;
      issue.updatedAt = state.timestamp();
      return { status: 204 };
    default:
      throw new GitHubError(basicError(404, 'Not Found', DOCS));
  }
}

function authorised(header: string | undefined, token: string): boolean {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header?.trim() ?? '');
  return match?.[1] === token;
}

function locateRepo(state: GitHubState, segments: string[]): { repo: RepoRecord; rest: string[] } | null {
  const [root, first, second, ...rest] = segments;
  if (root === 'repos' && first !== undefined && second !== undefined) {
    const repo = state.repoByName(first, second);
    return repo ? { repo, rest } : null;
  }
  // Link headers point at /repositories/{id}/..., as on github.com.
  if (root === 'repositories' && first !== undefined) {
    const repo = state.repoById(Number(first));
    return repo ? { repo, rest: second === undefined ? [] : [second, ...rest] } : null;
  }
  return null;
}

function docFor(method: string, sub: string | undefined, subName: string | undefined): string {
  if (sub === 'comments') return method === 'POST' ? DOC.createComment : DOC.listComments;
  if (sub === 'labels') {
    if (subName !== undefined) return DOC.removeLabel;
    if (method === 'PUT') return DOC.setLabels;
    if (method === 'DELETE') return DOC.removeAllLabels;
    return DOC.addLabels;
  }
  if (sub === 'lock') return method === 'DELETE' ? DOC.unlock : DOC.lock;
  return method === 'PATCH' ? DOC.update : DOC.get;
}

function findIssue(
  state: GitHubState,
  repo: RepoRecord,
  number: number,
  doc: string,
  suffix: string,
): IssueRecord {
  const issue = repo.issues.get(number);
  if (!issue) throw new GitHubError(basicError(404, 'Not Found', doc));
  if (issue.deleted) throw new GitHubError(basicError(410, 'This issue was deleted', doc));
  if (issue.transferredTo) {
    const location = `${state.apiRoot}/repositories/${issue.transferredTo.repoId}/issues/${issue.transferredTo.number}${suffix}`;
    throw new GitHubError({
      status: 301,
      headers: { location },
      body: { message: 'Moved Permanently', url: location, documentation_url: DOC.redirects },
    });
  }
  return issue;
}

// ---------------------------------------------------------------------------------------------------
// Endpoints

function listIssues(state: GitHubState, call: Call): SimResponse {
  const query = call.url.searchParams;
  const wantedState = query.get('state') ?? 'open';
  const wantedLabels = (query.get('labels') ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const since = query.get('since');
  const creator = query.get('creator')?.toLowerCase() ?? null;
  const sort = query.get('sort') ?? 'created';
  const ascending = (query.get('direction') ?? 'desc') === 'asc';

  const matching = [...call.repo.issues.values()].filter(
    (issue) =>
      !issue.deleted &&
      !issue.transferredTo &&
      (wantedState === 'all' || issue.state === wantedState) &&
      wantedLabels.every((name) => issue.labels.includes(name)) &&
      (since === null || issue.updatedAt >= since) &&
      (creator === null || issue.user.toLowerCase() === creator),
  );
  const key = (issue: IssueRecord): string | number =>
    sort === 'updated' ? issue.updatedAt : sort === 'comments' ? issue.comments.length : issue.createdAt;
  matching.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const order = ka < kb ? -1 : ka > kb ? 1 : a.number - b.number;
    return ascending ? order : -order;
  });
  return paginate(state, call, matching, `/issues`, (issue) => state.issueJson(call.repo, issue));
}

function paginate<T>(
  state: GitHubState,
  call: Call,
  items: T[],
  suffix: string,
  render: (item: T) => unknown,
): SimResponse {
  const query = call.url.searchParams;
  const requested = Number.parseInt(query.get('per_page') ?? '', 10);
  const perPage =
    Number.isNaN(requested) || requested < 1 ? DEFAULT_PER_PAGE : Math.min(requested, MAX_PER_PAGE);
  const pageParam = Number.parseInt(query.get('page') ?? '', 10);
  const page = Number.isNaN(pageParam) || pageParam < 1 ? 1 : pageParam;
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  const link = linkHeader(`${state.apiRoot}/repositories/${call.repo.id}${suffix}`, query, page, lastPage);
  if (link) headers['link'] = link;
  return { status: 200, headers, body: slice.map(render) };
}

/** GitHub's Link header: prev, next, last, first, each with the caller's query and the page last. */
function linkHeader(base: string, query: URLSearchParams, page: number, lastPage: number): string | null {
  if (lastPage <= 1 && page <= 1) return null;
  const pageUrl = (n: number) => {
    const params = new URLSearchParams(query);
    params.delete('page');
    params.append('page', String(n));
    return `<${base}?${params.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${pageUrl(Math.min(page - 1, lastPage))}; rel="prev"`);
  if (page < lastPage) links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${pageUrl(1)}; rel="first"`);
  return links.join(', ');
}

function createIssue(state: GitHubState, call: Call): SimResponse {
  const body = isRecord(call.body) ? call.body : {};
  const title = body['title'];
  if (typeof title !== 'string' && typeof title !== 'number') {
    throw new GitHubError(invalidRequest('"title" wasn\'t supplied.', DOC.create));
  }
  const text = optionalText(body['body'], 'body', DOC.create);
  checkTitle(String(title), DOC.create);
  checkLength(text, 'Issue', 'custom', 'body', 'body', DOC.create);
  const issue = state.newIssue(call.repo, {
    title: String(title),
    body: text,
    user: TOKEN_USER,
    pullRequest: false,
  });
  issue.labels = uniqueLabels(call.repo, labelNames(body['labels'], DOC.create), state);
  issue.assignees = stringList(body['assignees']);
  return {
    status: 201,
    headers: { location: `${state.repoUrl(call.repo)}/issues/${issue.number}` },
    body: state.issueJson(call.repo, issue),
  };
}

const STATE_REASONS: readonly StateReason[] = ['completed', 'not_planned', 'reopened', 'duplicate'];

function updateIssue(state: GitHubState, call: Call, issue: IssueRecord): SimResponse {
  const body = isRecord(call.body) ? call.body : {};
  const next = { ...issue };
  if ('title' in body) {
    if (typeof body['title'] !== 'string' && typeof body['title'] !== 'number') {
      throw new GitHubError(
        invalidRequest(
          `For 'properties/title', ${JSON.stringify(body['title'])} is not a string or integer.`,
          DOC.update,
        ),
      );
    }
    next.title = String(body['title']);
    checkTitle(next.title, DOC.update);
  }
  if ('body' in body) {
    next.body = optionalText(body['body'], 'body', DOC.update);
    checkLength(next.body, 'Issue', 'custom', 'body', 'body', DOC.update);
  }
  const wantedState = body['state'];
  if (wantedState !== undefined && wantedState !== 'open' && wantedState !== 'closed') {
    throw new GitHubError(
      invalidRequest(
        `For 'properties/state', ${JSON.stringify(wantedState)} is not one of ["open", "closed"].`,
        DOC.update,
      ),
    );
  }
  const reason = body['state_reason'];
  if (reason !== undefined && reason !== null && !STATE_REASONS.includes(reason as StateReason)) {
    throw new GitHubError(
      invalidRequest(
        `For 'properties/state_reason', ${JSON.stringify(reason)} is not one of ${JSON.stringify(STATE_REASONS)}.`,
        DOC.update,
      ),
    );
  }
  const labels = 'labels' in body ? labelNames(body['labels'], DOC.update) : null;

  // Validation passed: apply everything at once, as GitHub does (no half-applied PATCH).
  issue.title = next.title;
  issue.body = next.body;
  if (labels !== null) issue.labels = uniqueLabels(call.repo, labels, state);
  if ('assignees' in body) issue.assignees = stringList(body['assignees']);
  if (wantedState !== undefined || (reason !== undefined && reason !== null)) {
    state.setState(
      issue,
      (wantedState as 'open' | 'closed' | undefined) ?? issue.state,
      (reason as StateReason | null) ?? null,
      TOKEN_USER,
    );
  }
  issue.updatedAt = state.timestamp();
  return { status: 200, body: state.issueJson(call.repo, issue) };
}

function listComments(state: GitHubState, call: Call, issue: IssueRecord): SimResponse {
  return paginate(state, call, issue.comments, `/issues/${issue.number}/comments`, (comment) =>
    state.commentJson(call.repo, issue, comment),
  );
}

function createComment(state: GitHubState, call: Call, issue: IssueRecord): SimResponse {
  const body = isRecord(call.body) ? call.body : {};
  if (typeof body['body'] !== 'string')
    throw new GitHubError(invalidRequest('"body" wasn\'t supplied.', DOC.createComment));
  // GITHUB_TOKEN is not a collaborator: it cannot comment once the conversation is locked.
  if (issue.locked)
    throw new GitHubError(basicError(403, 'Unable to create comment because issue is locked.', DOC.locking));
  checkLength(body['body'], 'IssueComment', 'unprocessable', 'data', 'Body', DOC.createComment);
  const at = state.timestamp();
  const comment: CommentRecord = {
    id: state.nextId(),
    body: body['body'],
    user: TOKEN_USER,
    createdAt: at,
    updatedAt: at,
  };
  issue.comments.push(comment);
  issue.updatedAt = at;
  return {
    status: 201,
    headers: { location: `${state.repoUrl(call.repo)}/issues/comments/${comment.id}` },
    body: state.commentJson(call.repo, issue, comment),
  };
}

function issueLabels(state: GitHubState, repo: RepoRecord, issue: IssueRecord): LabelJson[] {
  return issue.labels.flatMap((name) => {
    const label = repo.labels.get(name);
    return label ? [state.labelJson(repo, label)] : [];
  });
}

function addLabels(state: GitHubState, call: Call, issue: IssueRecord, replace: boolean): SimResponse {
  const raw = isRecord(call.body) ? call.body['labels'] : call.body;
  const doc = replace ? DOC.setLabels : DOC.addLabels;
  const names = labelNames(raw, doc);
  const added = uniqueLabels(call.repo, names, state);
  issue.labels = replace ? added : [...issue.labels, ...added.filter((key) => !issue.labels.includes(key))];
  issue.updatedAt = state.timestamp();
  return { status: 200, body: issueLabels(state, call.repo, issue) };
}

function removeLabel(state: GitHubState, call: Call, issue: IssueRecord, name: string): SimResponse {
  const key = name.toLowerCase();
  if (!issue.labels.includes(key))
    throw new GitHubError(basicError(404, 'Label does not exist', DOC.removeLabel));
  issue.labels = issue.labels.filter((label) => label !== key);
  issue.updatedAt = state.timestamp();
  return { status: 200, body: issueLabels(state, call.repo, issue) };
}

const LOCK_REASONS: readonly LockReason[] = ['off-topic', 'too heated', 'resolved', 'spam'];

function lockIssue(state: GitHubState, call: Call, issue: IssueRecord): SimResponse {
  const reason = isRecord(call.body) ? call.body['lock_reason'] : undefined;
  if (reason !== undefined && !LOCK_REASONS.includes(reason as LockReason)) {
    throw new GitHubError(
      invalidRequest(
        `For 'properties/lock_reason', ${JSON.stringify(reason)} is not one of ${JSON.stringify(LOCK_REASONS)}.`,
        DOC.lock,
      ),
    );
  }
  issue.locked = true;
  issue.activeLockReason = (reason as LockReason | undefined) ?? null;
  issue.updatedAt = state.timestamp();
  return { status: 204 };
}

function listRepoLabels(state: GitHubState, call: Call): SimResponse {
  return paginate(state, call, [...call.repo.labels.values()], '/labels', (label) =>
    state.labelJson(call.repo, label),
  );
}

function createRepoLabel(state: GitHubState, call: Call): SimResponse {
  const body = isRecord(call.body) ? call.body : {};
  const name = body['name'];
  if (typeof name !== 'string' || name.trim() === '')
    throw new GitHubError(invalidRequest('"name" wasn\'t supplied.', DOC.createLabel));
  if (call.repo.labels.has(name.toLowerCase())) {
    throw new GitHubError(
      validationFailed([{ resource: 'Label', code: 'already_exists', field: 'name' }], DOC.createLabel),
    );
  }
  const label = state.ensureLabel(call.repo, name);
  if (typeof body['color'] === 'string') label.color = body['color'].replace(/^#/, '');
  if (typeof body['description'] === 'string') label.description = body['description'];
  return { status: 201, body: state.labelJson(call.repo, label) };
}

// ---------------------------------------------------------------------------------------------------
// Validation and errors in GitHub's shapes

function optionalText(value: unknown, field: string, doc: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    throw new GitHubError(
      invalidRequest(`For 'properties/${field}', ${JSON.stringify(value)} is not a string or null.`, doc),
    );
  }
  return value;
}

function checkTitle(title: string, doc: string): void {
  if ([...title].length > GITHUB_TITLE_LIMIT) {
    throw new GitHubError(
      validationFailed(
        [
          {
            resource: 'Issue',
            code: 'custom',
            field: 'title',
            message: `title is too long (maximum is ${GITHUB_TITLE_LIMIT} characters)`,
          },
        ],
        doc,
      ),
    );
  }
}

/** The 65,536 limit counts characters (code points), not UTF-16 units or bytes. */
function checkLength(
  text: string | null,
  resource: string,
  code: string,
  field: string,
  noun: string,
  doc: string,
): void {
  if (text === null || [...text].length <= GITHUB_BODY_LIMIT) return;
  throw new GitHubError(
    validationFailed(
      [
        {
          resource,
          code,
          field,
          message: `${noun} is too long (maximum is ${GITHUB_BODY_LIMIT} characters)`,
        },
      ],
      doc,
    ),
  );
}

function labelNames(value: unknown, doc: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new GitHubError(
      invalidRequest(`For 'properties/labels', ${JSON.stringify(value)} is not an array.`, doc),
    );
  return value.flatMap((item) => {
    if (typeof item === 'string') return [item];
    if (isRecord(item) && typeof item['name'] === 'string') return [item['name']];
    throw new GitHubError(
      invalidRequest(`For 'items', ${JSON.stringify(item)} is not a string or object.`, doc),
    );
  });
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function basicError(status: number, message: string, doc: string): SimResponse {
  return { status, body: { message, documentation_url: doc, status: String(status) } };
}

function notAccessible(doc: string): SimResponse {
  const response = basicError(403, 'Resource not accessible by integration', doc);
  return { ...response, headers: { 'x-accepted-github-permissions': 'issues=write; pull_requests=write' } };
}

function invalidRequest(detail: string, doc: string): SimResponse {
  return basicError(422, `Invalid request.\n\n${detail}`, doc);
}

function validationFailed(errors: Record<string, unknown>[], doc: string): SimResponse {
  return {
    status: 422,
    body: { message: 'Validation Failed', errors, documentation_url: doc, status: '422' },
  };
}

function problemsParsingJson(): SimResponse {
  return basicError(400, 'Problems parsing JSON', DOCS);
}

/**
 * A fault body for GitHub's secondary rate limit (403, or 429, with retry-after), for `failNext`.
 * Octokit's throttling plugin recognises it by the words "secondary rate limit".
 */
export function secondaryRateLimit(
  retryAfterSeconds = 60,
  status: 403 | 429 = 403,
): Pick<GitHubFault, 'status' | 'body' | 'headers'> {
  return {
    status,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      status: String(status),
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Wire

function takeFault(
  faults: (GitHubFault & { remaining: number })[],
  method: string,
  pathname: string,
): GitHubFault | null {
  const index = faults.findIndex(
    (fault) =>
      (fault.method === undefined || fault.method.toUpperCase() === method) && fault.path.test(pathname),
  );
  const fault = faults[index];
  if (!fault) return null;
  fault.remaining -= 1;
  if (fault.remaining <= 0) faults.splice(index, 1);
  return fault;
}

function sendFault(res: ServerResponse, fault: GitHubFault, served: number): number | null {
  if (fault.status === 'drop') {
    res.socket?.destroy();
    return null;
  }
  const status = fault.status;
  const body = fault.body ?? {
    message: STATUS_CODES[status] ?? 'Error',
    documentation_url: DOCS,
    status: String(status),
  };
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const bytes = Buffer.from(text, 'utf8');
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-request-id': requestId(served),
    ...fault.headers,
    'content-length': String(bytes.length),
  });
  res.end(bytes);
  return status;
}

function requestId(served: number): string {
  return `SIM0:${served.toString(16).toUpperCase().padStart(6, '0')}:0:0:0`;
}

function send(res: ServerResponse, response: SimResponse, rate: { used: number; reset: number }): void {
  const headers: Record<string, string> = {
    'x-github-api-version-selected': '2022-11-28',
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': requestId(rate.used),
    'x-ratelimit-limit': String(RATE_LIMIT),
    'x-ratelimit-remaining': String(Math.max(0, RATE_LIMIT - rate.used)),
    'x-ratelimit-reset': String(rate.reset),
    'x-ratelimit-used': String(rate.used),
    'x-ratelimit-resource': 'core',
    ...response.headers,
  };
  if (response.body === undefined) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const bytes = Buffer.from(JSON.stringify(response.body), 'utf8');
  res.writeHead(response.status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(bytes.length),
  });
  res.end(bytes);
}
