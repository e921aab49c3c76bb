import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Small pieces every inbound HTTP endpoint (webhooks, push receivers) needs the same way. */

export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

/** Where the server listens, with the real port when it was configured as 0. */
export function listeningUrl(server: Server | undefined, host: string, port: number, path: string): string {
  const address = server?.address() as AddressInfo | null | undefined;
  return `http://${host}:${address?.port ?? port}${path}`;
}

/** Stops accepting, drops idle keep-alive sockets, resolves once open requests are answered. */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The raw bytes (signatures cover them exactly); undefined when larger than allowed. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
