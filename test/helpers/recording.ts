/**
 * What reached moto_server, request by request (its recorder is on, see moto.ts): the action, the
 * access key id that signed it (from the Authorization header) and the form parameters, so a test
 * can assert on what was sent, with which credentials.
 */
export interface Recorded {
  action: string;
  keyId: string;
  params: URLSearchParams;
}

export async function recorded(endpoint: string): Promise<Recorded[]> {
  const text = await (await fetch(`${endpoint}/moto-api/recorder/download-recording`)).text();
  const out: Recorded[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const rec = JSON.parse(line) as { body?: string; body_encoded?: boolean; headers?: Record<string, string> };
    const body = rec.body_encoded ? Buffer.from(rec.body ?? '', 'base64').toString('utf8') : (rec.body ?? '');
    const params = new URLSearchParams(body);
    const action = params.get('Action');
    if (!action) continue;
    const auth = Object.entries(rec.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1] ?? '';
    out.push({ action, keyId: /Credential=([^/]+)\//.exec(auth)?.[1] ?? '', params });
  }
  return out;
}
