/**
 * The playground's only calls to the server, both with the API key the marketer types (kept in sessionStorage: it
 * lives as long as the tab, never in a file or a URL): publishing the program (PUT /v1/program, the API's own
 * route, which validates it again) and, on request, reading the published one (GET /v1/program) to compare a
 * backtest against.
 */

const KEY_ITEM = 'purna.playground.apiKey';

/** The API key of this tab, or '' when none was given. */
export function storedKey(): string {
  return sessionStorage.getItem(KEY_ITEM) ?? '';
}

/** Keeps the key for this tab (an empty key forgets it). */
export function storeKey(key: string): void {
  if (key === '') sessionStorage.removeItem(KEY_ITEM);
  else sessionStorage.setItem(KEY_ITEM, key);
}

/** What the API answered, in words: a success, or the problem with each field error on its own line. */
export interface ApiOutcome<T> {
  readonly ok: boolean;
  readonly value: T | undefined;
  /** The problem's title and detail, then `pointer: message` for each error it lists. */
  readonly problem: readonly string[];
}

interface ProblemBody {
  readonly title?: string;
  readonly detail?: string;
  readonly errors?: ReadonlyArray<{ readonly pointer?: string; readonly message?: string }>;
}

async function call<T>(method: 'GET' | 'PUT', path: string, key: string, body?: string): Promise<ApiOutcome<T>> {
  if (key === '') return { ok: false, value: undefined, problem: ['Type an API key first.'] };
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body }),
    });
  } catch (error) {
    return { ok: false, value: undefined, problem: [`The API could not be reached: ${(error as Error).message}`] };
  }
  const answer = (await response.json().catch(() => undefined)) as unknown;
  if (response.ok) return { ok: true, value: answer as T, problem: [] };
  const problem = (answer ?? {}) as ProblemBody;
  return {
    ok: false,
    value: undefined,
    problem: [
      [problem.title ?? `HTTP ${response.status}`, problem.detail].filter(Boolean).join(': '),
      ...(problem.errors ?? []).map((e) => `${e.pointer || '/'}: ${e.message ?? ''}`),
    ],
  };
}

/**
 * Publishes the program text as a new version.
 *
 * @example (await publishProgram(editor.text(), storedKey())).value?.version
 */
export function publishProgram(programText: string, key: string): Promise<ApiOutcome<{ id: string; version: number }>> {
  return call('PUT', '/v1/program', key, programText);
}

/** Reads the newest published program. */
export function readPublishedProgram(key: string): Promise<ApiOutcome<{ id: string; version: number; program: unknown }>> {
  return call('GET', '/v1/program', key);
}
