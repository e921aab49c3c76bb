import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server on another origin (127.0.0.2 is loopback on Linux and listens separately
 * from 127.0.0.1) that records every request and answers like a portal would, so a test can assert
 * that our credentials never reached it.
 */
export class RecordingServer {
  readonly requests: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];

  private constructor(
    private readonly server: Server,
    readonly host: string,
  ) {}

  static async start(host = '127.0.0.2'): Promise<RecordingServer> {
    // The handler runs only after listen(), by which time `recorder` is set.
    const server: Server = createServer((req, res) => {
      recorder.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [], ok: true }));
    });
    const recorder = new RecordingServer(server, host);
    await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
    return recorder;
  }

  get origin(): string {
    return `http://${this.host}:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
