import { createHmac } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The demo's receivers verify signatures like the real ones do; this secret exists only in the demo. */
export const DEMO_SECRET = 'demo-only-secret';

export function demoSignature(body: string): string {
  return createHmac('sha256', DEMO_SECRET).update(body).digest('hex');
}

/** POSTs a sample body to a loopback receiver, as the platform would. */
export async function postSigned(url: string, body: string, header: string, signature: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', [header]: signature },
  });
  if (response.status !== 200) throw new Error(`sample webhook to ${url} answered ${response.status}`);
}

export async function readJsonFiles(folder: string): Promise<Array<{ raw: string; json: unknown }>> {
  const files = (await readdir(folder)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (f) => {
      const raw = await readFile(path.join(folder, f), 'utf8');
      return { raw, json: JSON.parse(raw) as unknown };
    }),
  );
}
