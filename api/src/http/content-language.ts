/**
 * Answers in the language the caller reads. The rules keep every reason and trace line as a sentence beside its
 * English text; here, at the one place replies are written, `Accept-Language` picks English, Indonesian or Filipino,
 * the sentences of the body are written again in it, and `Content-Language` says which was chosen.
 */
import { DEFAULT_LANGUAGE, localize, negotiateLanguage, type Language } from '@purna/rules';
import type { Reply } from './problem.js';

/** Response headers every JSON answer carries because of the language. */
export const CONTENT_LANGUAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Language': 'The language of the messages, details and traces of the body: en, id or fil (see Accept-Language).',
};

/** The description of the `Accept-Language` request header in the OpenAPI document. */
export const ACCEPT_LANGUAGE_DESCRIPTION =
  'The language of reasons, details and traces in the answer: en (English, the default), id (Indonesian) or fil ' +
  '(Filipino; tl is read as fil), with q-values as RFC 9110 defines them; other languages answer in English.';

const JSON_TYPES = new Set(['application/json', 'application/problem+json']);

/**
 * `reply` written in the language `acceptLanguage` asks for, with its `Content-Language`; a reply without a JSON
 * body is returned as it is. A refusal's `detail` becomes its reasons in that language, joined by "; ".
 *
 * @example localizedReply({ status: 422, body: problem, contentType: 'application/problem+json' }, 'id')
 */
export function localizedReply(reply: Reply, acceptLanguage: string | readonly string[] | undefined): Reply {
  const type = reply.contentType ?? 'application/json';
  if (reply.body === undefined || !JSON_TYPES.has(type)) return reply;
  const language = negotiateLanguage(acceptLanguage);
  const headers = { ...reply.headers, 'Content-Language': language };
  if (language === DEFAULT_LANGUAGE) return { ...reply, headers };
  return { ...reply, headers, body: withReasonsAsDetail(localize(reply.body, language), language) };
}

function withReasonsAsDetail(body: unknown, language: Language): unknown {
  if (language === DEFAULT_LANGUAGE || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const { detail, reasons } = body as { detail?: unknown; reasons?: unknown };
  if (typeof detail !== 'string' || !Array.isArray(reasons) || reasons.length === 0) return body;
  const said = reasons.filter((r): r is { message: string; messageSentence: unknown } => typeof r === 'object' && r !== null && typeof (r as { message?: unknown }).message === 'string' && (r as { messageSentence?: unknown }).messageSentence !== undefined);
  if (said.length !== reasons.length) return body;
  return { ...body, detail: said.map((r) => r.message).join('; ') };
}
