/**
 * What the three simulators share: an HTTP server on 127.0.0.1 with an ephemeral port, request bodies
 * read whole, and timers that die with the server so a closed simulator never writes late.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface LoopbackServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43121 */
  url: string;
  /** Runs `fn` after `ms` real milliseconds unless the server is closed first. */
  later(ms: number, fn: () => void): void;
  close(): Promise<void>;
}

const LOOPBACK_HOST = '127.0.0.1';

export async function listenOnLoopback(handler: RequestHandler): Promise<LoopbackServer> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => answerWithCrash(res, error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | null = null;
  return {
    url: `http://${LOOPBACK_HOST}:${port}`,
    later(ms, fn) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
    },
    close() {
      closed ??= closeServer(server, timers);
      return closed;
    },
  };
}

/** A simulator bug must show up as a loud 500 in the test, not as a hung request. */
function answerWithCrash(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`simulator crashed: ${error instanceof Error ? error.stack : String(error)}`);
}

async function closeServer(server: Server, timers: Set<NodeJS.Timeout>): Promise<void> {
  for (const timer of timers) clearTimeout(timer);
  timers.clear();
  const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
  // Hanging and keep-alive connections would otherwise hold close() open forever.
  server.closeAllConnections();
  await stopped;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses JSON, answering `undefined` (not throwing) when the text is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lower-cased header names with string values (repeated headers joined as Node does). */
export function plainHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * A URL on 127.0.0.1 whose port refuses connections: bind an ephemeral port, then close it.
 * Simulates a runner whose network cannot reach the service at all.
 */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://${LOOPBACK_HOST}:${port}`;
}

export interface StalledServer {
  /** An https:// base URL whose TLS handshake never completes. */
  url: string;
  close(): Promise<void>;
}

/**
 * A port that accepts TCP connections and then says nothing: a TLS client's connect never completes, like
 * a firewall that swallows packets or a middlebox stuck mid-handshake. The request deadline fires while the
 * client is still connecting, which is the runner's network, not an API that is slow to answer.
 */
export async function stalledTlsServer(): Promise<StalledServer> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://${LOOPBACK_HOST}:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
