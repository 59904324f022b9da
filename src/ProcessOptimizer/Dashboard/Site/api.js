// Every request the pages make goes through here, to the service's own API; nothing else is fetched.

export const defaultStrategy = 'process-optimization';

const keyName = 'process-optimizer-api-key';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function request(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { accept: 'application/json', ...(options.headers ?? {}) } });
  if (!response.ok) {
    let detail = '';
    try {
      const problem = await response.json();
      detail = [problem.title, problem.detail, ...Object.values(problem.errors ?? {}).flat()].filter(Boolean).join(': ');
    } catch { detail = response.statusText; }
    throw new ApiError(response.status, `${options.method ?? 'GET'} ${path} answered ${response.status}${detail ? ` (${detail})` : ''}`);
  }
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

export const getJson = (path) => request(path);

const enc = encodeURIComponent;

/**
 * Where each strategy's data lives. The default strategy's runs and versions are at the API's plain paths;
 * the dashboard's own reads are under /strategies/{name}/.
 */
export function paths(name) {
  const plain = name === defaultStrategy;
  const base = `/strategies/${enc(name)}`;
  return {
    status: `${base}/status`,
    trends: `${base}/trends`,
    versionText: (version) => `${base}/versions/${enc(version)}`,
    strategy: plain ? '/strategy' : base,
    switchVersion: plain ? '/strategy/version' : `${base}/version`,
    runs: plain ? '/runs' : `${base}/runs`,
    latest: plain ? '/runs/latest' : `${base}/runs/latest`,
  };
}

/** The strategies this service runs: from GET /strategies where the service has it, else the default one. */
export async function strategies() {
  try {
    const answer = await request('/strategies');
    const list = Array.isArray(answer) ? answer : answer.strategies ?? [];
    // A disabled strategy is listed with its state but has nothing to show.
    const names = list.filter((s) => typeof s === 'string' || s.enabled !== false).map((s) => (typeof s === 'string' ? s : s.name)).filter(Boolean);
    return names.length > 0 ? names : [defaultStrategy];
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 405)) return [defaultStrategy];
    throw error;
  }
}

export const apiKey = {
  // Kept in sessionStorage: gone when the tab closes, never written to disk by the page.
  get: () => sessionStorage.getItem(keyName) ?? '',
  set: (value) => (value ? sessionStorage.setItem(keyName, value) : sessionStorage.removeItem(keyName)),
};

export function switchVersion(name, version, key) {
  return request(paths(name).switchVersion, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(key ? { 'X-Api-Key': key } : {}) },
    body: JSON.stringify({ version }),
  });
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function startBacktest(name, body, key) {
  return request(`/strategies/${enc(name)}/backtests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'X-Api-Key': key } : {}) },
    body: JSON.stringify(body),
  });
}

export function cancelBacktest(id, key) {
  return request(`/backtests/${enc(id)}`, { method: 'DELETE', headers: key ? { 'X-Api-Key': key } : {} });
}
